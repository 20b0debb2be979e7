package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.HalfFloats;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Cast. To an integer or bool type it is computed at load time only, from constants (uint8
 * codebook indices to int64 for Gather, shape arithmetic). Between floating-point types (float32,
 * float16, bfloat16, double) it also runs on run-time values, computed in float32: exporters wrap
 * float16 weights in a {@code Cast} to float, and mixed-precision graphs cast activations to
 * float16 and back. A cast to float16 or bfloat16 rounds to that precision (nearest even, as
 * ONNX Runtime and NumPy); its gradient passes unchanged (as PyTorch's {@code Tensor.to}). A float
 * weight behind a float cast stays a trainable weight, stored back in its own type when written.
 */
final class Cast implements Op {

  @Override
  public String type() {
    return "Cast";
  }

  @Override
  public int since() {
    return 6; // Cast-6 made "to" an int; -9 and -13 add string and bfloat16 types (strings are not read)
  }

  @Override
  public Kind kind() {
    return Kind.CONVERSION;
  }

  /** The node's target type, or an error naming the node. */
  static DType target(Node n) {
    DType to = DType.fromOnnx((int) n.intAttr("to", -1), "node " + n.label());
    if (to.isNibble()) {
      throw new CondenseException("node " + n.label() + ": Cast to " + to.label() + " is not supported");
    }
    return to;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    DType to = target(n);
    // A float cast's value is computed in float32; other casts get their type from folding.
    return List.of(to.isFloat() ? new ValueType(DType.FLOAT, in.get(0).shape()) : in.get(0));
  }

  @Override
  public boolean constantOnly() {
    return true;
  }

  @Override
  public boolean constantOnly(Node n) {
    return !target(n).isFloat();
  }

  @Override
  public boolean decodesWeights(Node n) {
    return constantOnly(n);
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return to(in.get(0), target(n));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PASS_THROUGH;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.unary(n, new Rounding(target(n)));
  }

  /** A float cast of a run-time value: rounding to the target's precision, gradient unchanged. */
  record Rounding(DType to) implements UnaryMath {
    @Override
    public float forward(float x) {
      return round(to, x);
    }

    @Override
    public float backward(float x, float y, float dy) {
      return dy;
    }
  }

  /** {@code x} rounded to the precision of {@code to} (float16, bfloat16; float32 and double keep it). */
  static float round(DType to, float x) {
    return switch (to) {
      case FLOAT16 -> HalfFloats.halfToFloat(HalfFloats.floatToHalf(x));
      case BFLOAT16 -> HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(x));
      default -> x;
    };
  }

  /**
   * {@code t} as element type {@code to}; float to integer truncates toward zero, as ONNX Cast. A
   * floating-point target gives a float32 tensor holding the target's values.
   */
  static Tensor to(Tensor t, DType to) {
    if (t.dtype() == to) {
      return t;
    }
    int[] s = t.shape();
    if (to.isFloat()) {
      float[] f = t.toFloats();
      for (int i = 0; i < f.length; i++) {
        f[i] = round(to, f[i]);
      }
      return Tensor.of(f, s);
    }
    if (to == DType.BOOL) {
      return toBool(t);
    }
    long[] v;
    if (t.dtype() == DType.FLOAT) {
      float[] f = t.floats();
      v = new long[f.length];
      for (int i = 0; i < f.length; i++) {
        v[i] = (long) f[i]; // truncation toward zero, as ONNX Cast
      }
    } else {
      v = t.toLongs();
    }
    return switch (to) {
      case INT64 -> Tensor.ofLongs(v, s);
      case INT32 -> {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
          r[i] = (int) v[i];
        }
        yield Tensor.ofInts(r, s);
      }
      case UINT8, INT8, BOOL -> {
        byte[] r = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
          r[i] = (byte) v[i];
        }
        yield Tensor.ofBytes(to, r, s);
      }
      case FLOAT, FLOAT16, BFLOAT16, DOUBLE, UINT4, INT4 -> throw new IllegalStateException(); // refused by target()
    };
  }

  /** ONNX Cast to bool: every non-zero element is true. */
  private static Tensor toBool(Tensor t) {
    byte[] r = new byte[t.size()];
    if (t.dtype() == DType.FLOAT) {
      float[] f = t.floats();
      for (int i = 0; i < r.length; i++) {
        r[i] = (byte) (f[i] != 0 ? 1 : 0);
      }
    } else {
      long[] v = t.toLongs();
      for (int i = 0; i < r.length; i++) {
        r[i] = (byte) (v[i] != 0 ? 1 : 0);
      }
    }
    return Tensor.ofBytes(DType.BOOL, r, t.shape());
  }
}
