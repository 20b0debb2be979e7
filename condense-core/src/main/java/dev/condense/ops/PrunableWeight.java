package dev.condense.ops;

import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A weight tensor whose individual connections can be pruned: the kernel of a Conv, the matrix
 * of a Gemm or of a MatMul with an initializer. Biases and BatchNorm parameters are not
 * connections and are never pruned (Han et al. 2015 prune weights only).
 *
 * @param layer the node that uses the weight (the report's row name)
 * @param weight the initializer name
 */
public record PrunableWeight(String layer, String weight, String op, int[] shape) {

  public int size() {
    return (int) Tensor.numel(shape);
  }

  /** Whether the layer is a convolution (Han retrains conv and FC layers separately). */
  public boolean isConv() {
    return OpTable.standard().find(op).kind().isConvolution();
  }

  /** The prunable weights of a graph, in graph order. */
  public static List<PrunableWeight> of(Graph g) {
    List<PrunableWeight> r = new ArrayList<>();
    for (Node n : g.nodes()) {
      Op op = OpTable.standard().find(n.opType());
      String w = op == null || op.weightSlot() < 0 ? "" : n.input(op.weightSlot());
      Tensor t = w.isEmpty() ? null : g.initializer(w);
      if (t != null && t.rank() >= 2 && r.stream().noneMatch(p -> p.weight().equals(w))) {
        r.add(new PrunableWeight(n.name().isEmpty() ? n.output(0) : n.name(), w, n.opType(), t.shape()));
      }
    }
    return r;
  }
}
