package dev.condense.ops;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.List;

/** ONNX Transpose of a constant, with perm (default: reversed axes). */
final class Transpose extends LoadTimeOp {

  Transpose() {
    super(1);
  }

  @Override
  public String type() {
    return "Transpose";
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor t = in.get(0);
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
    return Elements.take(t, src, os);
  }
}
