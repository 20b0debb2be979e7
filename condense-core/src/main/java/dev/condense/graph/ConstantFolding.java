package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.List;

/**
 * Computes nodes whose inputs are all constants once, at load time: Cast and Gather (which
 * Condense supports only so), and Concat, Reshape and same-shape Add. They appear where weights
 * are stored compressed inside an ONNX file — a codebook gathered by uint8 indices, product
 * quantization's segments concatenated, residual quantization's stages added — and folding them
 * gives the engine ordinary weights.
 */
final class ConstantFolding {
  private ConstantFolding() {}

  /** Ops folded whenever all their inputs are constants (float data for Concat and Add). */
  static boolean foldable(Node n, List<Tensor> in) {
    return switch (n.opType()) {
      case "Cast", "Gather", "Transpose", "Reshape", "Identity" -> true;
      case "Concat" -> in.stream().allMatch(t -> t.dtype() == DType.FLOAT);
      case "Add" -> in.get(0).dtype() == DType.FLOAT && in.get(1).dtype() == DType.FLOAT
          && java.util.Arrays.equals(in.get(0).shape(), in.get(1).shape());
      default -> false;
    };
  }

  /** The op's output for constant inputs. */
  static Tensor fold(Node n, List<Tensor> in) {
    return switch (n.opType()) {
      case "Cast" -> cast(in.get(0), DType.fromOnnx((int) n.intAttr("to", -1), "node " + n.label()));
      case "Gather" -> gather(n, in.get(0), in.get(1), (int) n.intAttr("axis", 0));
      case "Identity" -> in.get(0);
      case "Transpose" -> transpose(n, in.get(0));
      case "Reshape" -> in.get(0).reshape(ShapeInference.reshapeTarget(n, in.get(0).shape(), in.get(1).toLongs()));
      case "Concat" -> concat(n, in);
      case "Add" -> {
        float[] a = in.get(0).floats();
        float[] b = in.get(1).floats();
        float[] r = new float[a.length];
        for (int i = 0; i < r.length; i++) {
          r[i] = a[i] + b[i];
        }
        yield Tensor.of(r, in.get(0).shape());
      }
      default -> throw new IllegalArgumentException(n.opType());
    };
  }

  /** Transpose with ONNX's perm (default: reversed axes), float data. */
  static Tensor transpose(Node n, Tensor t) {
    int r = t.rank();
    long[] p = n.intsAttr("perm", null);
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) {
      perm[i] = p == null ? r - 1 - i : (int) p[i];
    }
    if (t.dtype() != DType.FLOAT) {
      throw new CondenseException("node " + n.label() + ": Condense transposes float data only");
    }
    int[] s = t.shape();
    int[] os = new int[r];
    int[] stride = new int[r];
    int acc = 1;
    for (int i = r - 1; i >= 0; i--) {
      stride[i] = acc;
      acc *= s[i];
    }
    for (int i = 0; i < r; i++) {
      os[i] = s[perm[i]];
    }
    float[] src = t.floats();
    float[] out = new float[src.length];
    int[] idx = new int[r];
    for (int o = 0; o < out.length; o++) {
      int from = 0;
      for (int i = 0; i < r; i++) {
        from += idx[i] * stride[perm[i]];
      }
      out[o] = src[from];
      for (int i = r - 1; i >= 0; i--) {
        if (++idx[i] < os[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
    return Tensor.of(out, os);
  }

  private static Tensor concat(Node n, List<Tensor> in) {
    int[] s = in.get(0).shape();
    int axis = ShapeInference.axis(n, n.intAttr("axis", Long.MIN_VALUE), s.length);
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= s[i];
    }
    int total = 0;
    for (Tensor t : in) {
      total += t.size() / Math.max(1, outer);
    }
    float[] out = new float[outer * total];
    int off = 0;
    for (Tensor t : in) {
      int block = t.size() / Math.max(1, outer);
      for (int o = 0; o < outer; o++) {
        System.arraycopy(t.floats(), o * block, out, o * total + off, block);
      }
      off += block;
    }
    int[] os = s.clone();
    os[axis] = total / Math.max(1, java.util.Arrays.stream(s, axis + 1, s.length).reduce(1, (x, y) -> x * y));
    return Tensor.of(out, os);
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
