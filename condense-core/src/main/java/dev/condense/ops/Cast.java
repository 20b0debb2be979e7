package dev.condense.ops;

import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.List;

/** ONNX Cast of a constant (uint8 codebook indices to int64 for Gather, shape arithmetic). */
final class Cast extends LoadTimeOp {

  Cast() {
    super(1);
  }

  @Override
  public String type() {
    return "Cast";
  }

  @Override
  public int since() {
    return 6; // Cast-6 made "to" an int; -9 and -13 add string and bfloat16 types, which Condense does not read
  }

  @Override
  public Kind kind() {
    return Kind.CONVERSION;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return to(in.get(0), DType.fromOnnx((int) n.intAttr("to", -1), "node " + n.label()));
  }

  /** {@code t} as element type {@code to}; float to integer truncates toward zero, as ONNX Cast. */
  static Tensor to(Tensor t, DType to) {
    if (t.dtype() == to) {
      return t;
    }
    int[] s = t.shape();
    if (to == DType.FLOAT) {
      return Tensor.of(t.toFloats(), s);
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
      case FLOAT -> throw new IllegalStateException();
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
