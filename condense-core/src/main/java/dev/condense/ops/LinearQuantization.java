package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Axis;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;

/**
 * The affine map between floats and 8-bit (or, for biases, 32-bit) integers of ONNX
 * QuantizeLinear and DequantizeLinear, per tensor or per slice along one axis: the op's fold, the
 * engine's kernel and the INT8 quantizer all compute through it, so the engine's simulation and
 * the written model agree by construction. Integers are held as floats (exact below 2^24; int32
 * biases beyond that are refused where they are made).
 *
 * @param scale one scale per slice (one element per tensor)
 * @param zeroPoint one zero point per slice, as the scale
 * @param type the integer type (UINT8, INT8 or INT32)
 * @param inner elements after the axis (1 for a per-tensor map)
 */
public record LinearQuantization(float[] scale, int[] zeroPoint, DType type, int inner) {

  /**
   * The map of a node: {@code scale} and {@code zeroPoint} (null: zero of {@code type}) are its
   * constant inputs, {@code x} the shape of the tensor it applies to; the node's {@code axis}
   * (default 1, opset 13) picks the slices when the scale is 1-D (ONNX QuantizeLinear-13).
   */
  public static LinearQuantization of(Node n, Tensor scale, Tensor zeroPoint, int[] x, DType type) {
    if (scale == null) {
      throw new CondenseException("node " + n.label() + ": the scale must be a constant");
    }
    if (scale.rank() > 1) {
      throw new CondenseException("node " + n.label() + ": the scale must be a scalar or 1-D, got rank " + scale.rank());
    }
    int slices = scale.size();
    int inner = 1;
    if (scale.rank() == 1) {
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
    return new LinearQuantization(s, zp, type, inner);
  }

  /** The smallest value of an integer type the ops produce or read. */
  public static int min(DType type) {
    return switch (type) {
      case UINT8 -> 0;
      case INT8 -> -128;
      case INT32 -> Integer.MIN_VALUE;
      default -> throw new IllegalArgumentException(type + " is not a quantized type");
    };
  }

  /** The largest value of an integer type the ops produce or read. */
  public static int max(DType type) {
    return switch (type) {
      case UINT8 -> 255;
      case INT8 -> 127;
      case INT32 -> Integer.MAX_VALUE;
      default -> throw new IllegalArgumentException(type + " is not a quantized type");
    };
  }

  /** The slice of element {@code i}. */
  public int slice(int i) {
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
