package dev.condense.quant.int4;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A fully connected layer whose weight goes to 4 bits: a Gemm (transA 0, alpha and beta 1) or a
 * MatMul with a constant 2-D float weight, as {@code rows} outputs × {@code cols} inputs
 * ({@code weight} is [N, K] whatever the layout the file had: a Gemm with transB = 1 stores it
 * so, a MatMul and a Gemm with transB = 0 store [K, N]).
 *
 * @param bias the constant bias (Gemm's C, N elements), or null
 */
record Int4Layer(Node node, String input, float[] weight, int rows, int cols, Tensor bias) {

  /**
   * The model's fully connected layers with constant weights, or only those named in
   * {@code only} where it is not empty (each of which must be one); an error if there are none.
   */
  static List<Int4Layer> of(Graph g, OpTable table, Set<String> only, String where) {
    List<Int4Layer> r = new ArrayList<>();
    for (String name : only) {
      if (g.nodes().stream().noneMatch(n -> n.name().equals(name))) {
        throw new CondenseException(where + ": no node named '" + name + "' to quantize to 4 bits");
      }
    }
    for (Node n : g.nodes()) {
      if (table.kind(n) != Kind.FULLY_CONNECTED || !only.isEmpty() && !only.contains(n.name())) {
        continue;
      }
      int slot = table.op(n).weightSlot();
      Tensor w = n.inputs().size() > slot && n.hasInput(slot) ? g.initializer(n.input(slot)) : null;
      if (w == null || w.rank() != 2 || w.dtype() != DType.FLOAT) {
        continue; // a product of two activations (attention) stays float
      }
      if (n.intAttr("transA", 0) != 0 || n.floatAttr("alpha", 1f) != 1f || n.floatAttr("beta", 1f) != 1f) {
        throw new CondenseException("node " + n.label() + ": 4-bit weights need transA = 0, alpha = 1 and beta = 1");
      }
      boolean nk = n.intAttr("transB", 0) == 1;
      int rows = nk ? w.dim(0) : w.dim(1);
      int cols = nk ? w.dim(1) : w.dim(0);
      Tensor bias = null;
      if (n.inputs().size() > 2 && n.hasInput(2)) {
        bias = g.initializer(n.input(2));
        if (bias == null || bias.size() != rows || bias.dtype() != DType.FLOAT) {
          throw new CondenseException("node " + n.label() + ": 4-bit weights need a constant float bias of " + rows
              + " elements");
        }
      }
      r.add(new Int4Layer(n, n.input(0), nk ? w.floats() : transpose(w.floats(), cols, rows), rows, cols, bias));
    }
    for (String name : only) {
      if (r.stream().noneMatch(l -> l.node().name().equals(name))) {
        throw new CondenseException(where + ": node '" + name + "' is not a Gemm or MatMul with a constant 2-D float "
            + "weight, so it has no weight to quantize to 4 bits");
      }
    }
    if (r.isEmpty()) {
      throw new CondenseException(where + ": no Gemm or MatMul with a constant 2-D weight to quantize to 4 bits");
    }
    return r;
  }

  /** {@code a} [r, c] row-major transposed to [c, r]. */
  static float[] transpose(float[] a, int r, int c) {
    float[] t = new float[a.length];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        t[j * r + i] = a[i * c + j];
      }
    }
    return t;
  }

  static byte[] transpose(byte[] a, int r, int c) {
    byte[] t = new byte[a.length];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        t[j * r + i] = a[i * c + j];
      }
    }
    return t;
  }
}
