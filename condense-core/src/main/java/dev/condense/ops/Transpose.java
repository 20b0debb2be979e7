package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Transpose with perm (default: reversed axes). Folded on constants (column-segmented
 * product-quantized weights are rebuilt at load time); on run-time values (channel shuffle,
 * attention heads) the engine copies elements by the same map.
 */
final class Transpose extends CopyOp {

  @Override
  public String type() {
    return "Transpose";
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    int[] s = in.get(0).shape();
    int[] perm = perm(n, s.length);
    int[] os = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      os[i] = s[perm[i]];
    }
    return List.of(new ValueType(in.get(0).dtype(), os));
  }

  @Override
  public int keptAxis(Node n, int rank, int axis) {
    int[] perm = perm(n, rank);
    for (int i = 0; i < rank; i++) {
      if (perm[i] == axis) {
        return i; // output axis i is input axis perm[i]
      }
    }
    return -1;
  }

  private static int[] perm(Node n, int r) {
    long[] p = n.intsAttr("perm", null);
    if (p != null && p.length != r) {
      throw new CondenseException("node " + n.label() + ": Transpose perm has " + p.length
          + " axes for an input of rank " + r);
    }
    int[] perm = new int[r];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      perm[i] = p == null ? r - 1 - i : (int) p[i];
      if (perm[i] < 0 || perm[i] >= r || seen[perm[i]]) {
        throw new CondenseException("node " + n.label() + ": Transpose perm is not a permutation of 0.." + (r - 1));
      }
      seen[perm[i]] = true;
    }
    return perm;
  }

  @Override
  public int[] sources(Node n, int[] s, Function<String, Tensor> constants) {
    int r = s.length;
    int[] perm = perm(n, r);
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
    int[] src = new int[acc];
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
    return src;
  }

  /** Token ids pass it unchanged (data input only). */
  @Override
  public boolean carriesIndices(int slot) {
    return slot == 0;
  }
}
