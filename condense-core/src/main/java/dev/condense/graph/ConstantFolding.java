package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.List;

/**
 * Computes the ops Condense supports only on constant inputs, once, at load time: Cast and
 * Gather. They appear where weights are stored compressed inside an ONNX file (a codebook
 * gathered by uint8 indices, as Condense's quantized export writes), and folding them gives the
 * engine ordinary weights.
 */
final class ConstantFolding {
  private ConstantFolding() {}

  /** The op's output for constant inputs. */
  static Tensor fold(Node n, List<Tensor> in) {
    return switch (n.opType()) {
      case "Cast" -> cast(in.get(0), DType.fromOnnx((int) n.intAttr("to", -1), "node " + n.label()));
      case "Gather" -> gather(n, in.get(0), in.get(1), (int) n.intAttr("axis", 0));
      default -> throw new IllegalArgumentException(n.opType());
    };
  }

  static Tensor cast(Tensor t, DType to) {
    if (t.dtype() == to) {
      return t;
    }
    int[] s = t.shape();
    if (to == DType.FLOAT) {
      return Tensor.of(t.toFloats(), s);
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
      case UINT8, INT8 -> {
        byte[] r = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
          r[i] = (byte) v[i];
        }
        yield Tensor.ofBytes(to, r, s);
      }
      case FLOAT -> throw new IllegalStateException();
    };
  }

  static Tensor gather(Node n, Tensor data, Tensor indices, int axis) {
    int[] ds = data.shape();
    int r = ds.length;
    if (axis < 0) {
      axis += r;
    }
    if (axis < 0 || axis >= r) {
      throw new CondenseException("node " + n.label() + ": Gather axis out of range");
    }
    if (data.dtype() != DType.FLOAT) {
      throw new CondenseException("node " + n.label() + ": Condense gathers float data only");
    }
    long[] idx = indices.toLongs();
    int[] is = indices.shape();
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= ds[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < r; i++) {
      inner *= ds[i];
    }
    int len = ds[axis];
    int[] os = new int[r - 1 + is.length];
    System.arraycopy(ds, 0, os, 0, axis);
    System.arraycopy(is, 0, os, axis, is.length);
    System.arraycopy(ds, axis + 1, os, axis + is.length, r - axis - 1);
    float[] src = data.floats();
    float[] out = new float[(int) Tensor.numel(os)];
    int at = 0;
    for (int o = 0; o < outer; o++) {
      for (long k : idx) {
        long j = k < 0 ? k + len : k;
        if (j < 0 || j >= len) {
          throw new CondenseException("node " + n.label() + ": Gather index " + k + " out of range for size " + len);
        }
        System.arraycopy(src, (int) ((o * (long) len + j) * inner), out, at, inner);
        at += inner;
      }
    }
    return Tensor.of(out, os);
  }
}
