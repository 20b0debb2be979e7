package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Axis;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;

/**
 * The affine map between floats and 8-bit or 4-bit (or, for biases, 32-bit) integers of ONNX
 * QuantizeLinear and DequantizeLinear, per tensor, per slice along one axis, or per block of
 * {@code block} consecutive elements along that axis (opset 21's blocked form): the op's fold, the
 * engine's kernel and the INT8 quantizer all compute through it, so the engine's simulation and
 * the written model agree by construction. Integers are held as floats (exact below 2^24; int32
 * biases beyond that are refused where they are made).
 *
 * @param scale one scale per slice (one element per tensor)
 * @param zeroPoint one zero point per slice, as the scale
 * @param type the integer type (UINT8, INT8, UINT4, INT4 or INT32)
 * @param inner elements after the axis (1 for a per-tensor map)
 * @param length the axis' length (used only when blocked)
 * @param block elements of the axis per scale, or 0 for one scale per slice
 */
public record LinearQuantization(float[] scale, int[] zeroPoint, DType type, int inner, int length, int block) {

  /** A per-tensor or per-axis map. */
  public LinearQuantization(float[] scale, int[] zeroPoint, DType type, int inner) {
    this(scale, zeroPoint, type, inner, 0, 0);
  }

  /**
   * The map of a node: {@code scale} and {@code zeroPoint} (null: zero of {@code type}) are its
   * constant inputs, {@code x} the shape of the tensor it applies to; the node's {@code axis}
   * (default 1, opset 13) picks the slices when the scale is 1-D (ONNX QuantizeLinear-13).
   */
  public static LinearQuantization of(Node n, Tensor scale, Tensor zeroPoint, int[] x, DType type) {
    if (scale == null) {
      throw new CondenseException("node " + n.label() + ": the scale must be a constant");
    }
    int block = (int) n.intAttr("block_size", 0);
    if (block < 0) {
      throw new CondenseException("node " + n.label() + ": block_size " + block + " is negative");
    }
    if (block == 0 && scale.rank() > 1) {
      throw new CondenseException("node " + n.label() + ": the scale must be a scalar or 1-D, got rank " + scale.rank());
    }
    int slices = scale.size();
    int inner = 1;
    int length = 0;
    if (block > 0) {
      // ONNX DequantizeLinear-21, blocked quantization: the scale has x's rank, ⌈x[axis]/block⌉
      // along the axis and x's dims elsewhere; element j of the axis uses scale j / block.
      int axis = Axis.of(n, n.intAttr("axis", 1), x.length);
      int[] want = x.clone();
      want[axis] = (x[axis] + block - 1) / block;
      if (!java.util.Arrays.equals(scale.shape(), want)) {
        throw new CondenseException("node " + n.label() + ": blocks of " + block + " along axis " + axis + " of "
            + java.util.Arrays.toString(x) + " need a scale of shape " + java.util.Arrays.toString(want) + ", got "
            + java.util.Arrays.toString(scale.shape()));
      }
      for (int d = axis + 1; d < x.length; d++) {
        inner *= x[d];
      }
      length = x[axis];
    } else if (scale.rank() == 1) {
      int axis = Axis.of(n, n.intAttr("axis", 1), x.length);
      if (x[axis] != slices) {
        throw new CondenseException("node " + n.label() + ": " + slices + " scales for axis " + axis
            + " of length " + x[axis]);
      }
      for (int d = axis + 1; d < x.length; d++) {
        inner *= x[d];
      }
    }
    float[] s = scale.toFloats();
    for (float v : s) {
      if (!(v > 0) || Float.isInfinite(v)) {
        throw new CondenseException("node " + n.label() + ": scale " + v + " is not a positive finite number");
      }
    }
    int[] zp = new int[slices];
    if (zeroPoint != null) {
      if (zeroPoint.size() != slices) {
        throw new CondenseException("node " + n.label() + ": " + zeroPoint.size() + " zero points for " + slices + " scales");
      }
      long[] z = zeroPoint.toLongs();
      for (int i = 0; i < slices; i++) {
        zp[i] = (int) z[i];
      }
    }
    return new LinearQuantization(s, zp, type, inner, length, block);
  }

  /** The smallest value of an integer type the ops produce or read. */
  public static int min(DType type) {
    return switch (type) {
      case UINT8 -> 0;
      case INT8 -> -128;
      case UINT4 -> 0;
      case INT4 -> -8;
      case INT32 -> Integer.MIN_VALUE;
      default -> throw new IllegalArgumentException(type + " is not a quantized type");
    };
  }

  /** The largest value of an integer type the ops produce or read. */
  public static int max(DType type) {
    return switch (type) {
      case UINT8 -> 255;
      case INT8 -> 127;
      case UINT4 -> 15;
      case INT4 -> 7;
      case INT32 -> Integer.MAX_VALUE;
      default -> throw new IllegalArgumentException(type + " is not a quantized type");
    };
  }

  /** The slice of element {@code i}. */
  public int slice(int i) {
    if (block > 0) {
      int r = i % inner;
      int a = (i / inner) % length;
      int o = i / inner / length;
      int blocks = (length + block - 1) / block;
      return (o * blocks + a / block) * inner + r;
    }
    return scale.length == 1 ? 0 : (i / inner) % scale.length;
  }

  /**
   * {@code saturate(round(x / scale) + zeroPoint)}, rounding half to even (ONNX QuantizeLinear-13;
   * the division in float32, as ONNX Runtime).
   */
  public static float quantize(float x, float scale, int zeroPoint, int min, int max) {
    double q = Math.rint(x / scale) + zeroPoint;
    return (float) Math.max(min, Math.min(max, q));
  }

  /** Whether {@code x} quantizes without saturating: where the straight-through gradient passes. */
  public static boolean inRange(float x, float scale, int zeroPoint, int min, int max) {
    double q = Math.rint(x / scale) + zeroPoint;
    return q >= min && q <= max;
  }

  /** {@code (q - zeroPoint) * scale} (ONNX DequantizeLinear-13), in float32. */
  public static float dequantize(float q, float scale, int zeroPoint) {
    return (q - zeroPoint) * scale;
  }

  /** Every element of {@code x} quantized into {@code q} (integers held as floats). */
  public void quantize(float[] x, float[] q) {
    int lo = min(type);
    int hi = max(type);
    for (int i = 0; i < x.length; i++) {
      int c = slice(i);
      q[i] = quantize(x[i], scale[c], zeroPoint[c], lo, hi);
    }
  }

  /** Every element of {@code q} (integers held as floats) dequantized into {@code y}. */
  public void dequantize(float[] q, float[] y) {
    for (int i = 0; i < q.length; i++) {
      int c = slice(i);
      y[i] = dequantize(q[i], scale[c], zeroPoint[c]);
    }
  }

  /** Integers held as floats as a tensor of {@code type}. */
  public static Tensor integers(float[] q, DType type, int[] shape) {
    if (type == DType.INT32) {
      int[] v = new int[q.length];
      for (int i = 0; i < q.length; i++) {
        v[i] = (int) q[i];
      }
      return Tensor.ofInts(v, shape);
    }
    byte[] b = new byte[q.length];
    for (int i = 0; i < q.length; i++) {
      b[i] = (byte) (int) q[i];
    }
    return Tensor.ofBytes(type, b, shape);
  }
}
