package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.List;

/**
 * Computes nodes whose inputs are all constants once, at load time: Cast, Gather, Transpose and
 * ConstantOfShape (which Condense supports only so), and Concat, Reshape, Slice and same-shape
 * Add. They appear where weights are stored compressed inside an ONNX file — a codebook gathered
 * by uint8 indices, product quantization's segments concatenated, residual quantization's stages
 * added — and in the small integer computations exporters emit for constant arguments (PyTorch
 * builds {@code F.pad}'s pads with ConstantOfShape, Concat, Slice and Transpose); folding them
 * gives the engine ordinary weights and constants.
 */
final class ConstantFolding {
  private ConstantFolding() {}

  /** Ops folded whenever all their inputs are constants (float data for Concat and Add). */
  static boolean foldable(Node n, List<Tensor> in) {
    return switch (n.opType()) {
      case "Cast", "Gather", "Transpose", "Reshape", "Identity", "Slice", "ConstantOfShape" -> true;
      case "Concat" -> in.stream().allMatch(t -> t.dtype() == in.get(0).dtype());
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
      case "Slice" -> {
        Tensor t = in.get(0);
        SliceSpec spec = SliceSpec.of(n, t.shape(), name -> in.get(n.inputs().indexOf(name)));
        yield take(t, IndexMaps.of(t.shape(), spec.count(), spec::source), spec.count());
      }
      case "ConstantOfShape" -> constantOfShape(n, in.get(0));
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

  /** Transpose with ONNX's perm (default: reversed axes). */
  static Tensor transpose(Node n, Tensor t) {
    int r = t.rank();
    long[] p = n.intsAttr("perm", null);
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) {
      perm[i] = p == null ? r - 1 - i : (int) p[i];
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
    int[] src = new int[t.size()];
    int[] idx = new int[r];
    for (int o = 0; o < src.length; o++) {
      int from = 0;
      for (int i = 0; i < r; i++) {
        from += idx[i] * stride[perm[i]];
      }
      src[o] = from;
      for (int i = r - 1; i >= 0; i--) {
        if (++idx[i] < os[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
    return take(t, src, os);
  }

  /** The elements of {@code t} at flat indices {@code src}, shaped {@code shape}, in t's type. */
  static Tensor take(Tensor t, int[] src, int[] shape) {
    if (t.dtype() == DType.FLOAT) {
      float[] v = t.floats();
      float[] out = new float[src.length];
      for (int i = 0; i < src.length; i++) {
        out[i] = v[src[i]];
      }
      return Tensor.of(out, shape);
    }
    long[] v = t.toLongs();
    long[] out = new long[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = v[src[i]];
    }
    return cast(Tensor.ofLongs(out, shape), t.dtype());
  }

  /** ConstantOfShape: a tensor of the given shape filled with the one-element {@code value} (default float 0). */
  private static Tensor constantOfShape(Node n, Tensor shapeT) {
    long[] dims = shapeT.toLongs();
    int[] shape = new int[dims.length];
    long size = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 1) {
        throw new CondenseException("node " + n.label() + ": ConstantOfShape of " + java.util.Arrays.toString(dims)
            + " is empty; Condense runs no empty tensors");
      }
      if ((size *= dims[i]) > Integer.MAX_VALUE) {
        throw new CondenseException("node " + n.label() + ": ConstantOfShape of " + java.util.Arrays.toString(dims)
            + " is too large");
      }
      shape[i] = (int) dims[i];
    }
    Tensor value = n.has("value") ? n.tensorAttr("value") : Tensor.of(new float[] {0f}, 1);
    if (value.dtype() == DType.FLOAT) {
      float[] out = new float[(int) size];
      java.util.Arrays.fill(out, value.floats()[0]);
      return Tensor.of(out, shape);
    }
    long[] out = new long[(int) size];
    java.util.Arrays.fill(out, value.toLongs()[0]);
    return cast(Tensor.ofLongs(out, shape), value.dtype());
  }

  /** Concat of same-typed constants: each input is a block of every outer row of the output. */
  private static Tensor concat(Node n, List<Tensor> in) {
    int[] s = in.get(0).shape();
    int axis = ShapeInference.axis(n, n.intAttr("axis", Long.MIN_VALUE), s.length);
    int[] os = s.clone();
    os[axis] = 0;
    for (Tensor t : in) {
      os[axis] += t.shape()[axis];
    }
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= s[i];
    }
    int row = (int) (Tensor.numel(os) / Math.max(1, outer));
    boolean floats = in.get(0).dtype() == DType.FLOAT;
    Object out = floats ? new float[outer * row] : new long[outer * row];
    int off = 0;
    for (Tensor t : in) {
      Object data = floats ? t.floats() : t.toLongs();
      int block = t.size() / Math.max(1, outer);
      for (int o = 0; o < outer; o++) {
        System.arraycopy(data, o * block, out, o * row + off, block);
      }
      off += block;
    }
    return floats ? Tensor.of((float[]) out, os) : cast(Tensor.ofLongs((long[]) out, os), in.get(0).dtype());
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
