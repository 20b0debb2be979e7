package dev.condense.prune;

import dev.condense.graph.Attribute;
import dev.condense.graph.CompressionState;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Han et al. 2015, §3.4 (Eq. 2): after pruning, a layer's dropout rate should shrink with its
 * connections, D_r = D_o·√(C_ir / C_io), since fewer connections already regularise it. For each
 * Dropout node, the layer feeding it is found by walking back through element-wise ops; C is
 * that layer's count of non-zero weights now (C_ir) and before pruning (C_io).
 */
public final class DropoutAdjustment {
  private DropoutAdjustment() {}

  /** The ops walked back through to the layer feeding a Dropout: element-wise ones, pools and views. */
  private static final Set<Kind> ELEMENTWISE = Set.of(Kind.ELEMENTWISE_UNARY, Kind.NORMALIZATION,
      Kind.POOLING, Kind.VIEW);
  private static final OpTable OPS = OpTable.standard();

  /** A Dropout whose rate changed: the node, its original and its new rate. */
  public record Change(String node, double original, double adjusted) {}

  /**
   * Adjusts every Dropout of {@code pruned}, where {@code original} is the model the rates were
   * tuned for (same graph, dense weights). Returns the model and what changed.
   */
  public static Map.Entry<Model, List<Change>> apply(Model original, Model pruned) {
    Graph g = pruned.graph();
    Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
    List<Node> nodes = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (!OPS.is(n, Kind.REGULARIZATION)) {
        nodes.add(n);
        continue;
      }
      String weight = feedingWeight(g, n.input(0));
      double d0 = rate(original.graph(), original.graph().node(n.name()));
      if (weight == null || d0 == 0) {
        nodes.add(n);
        continue;
      }
      double cio = CompressionState.kept(original, weight);
      double cir = CompressionState.kept(pruned, weight);
      double dr = d0 * Math.sqrt(cir / Math.max(1, cio));
      changes.add(new Change(n.name(), d0, dr));
      if (n.hasInput(1) && init.containsKey(n.input(1))) {
        init.put(n.input(1), Tensor.of(new float[] {(float) dr}));
        nodes.add(n);
      } else {
        nodes.add(n.withAttribute("ratio", new Attribute.FloatAttr((float) dr)));
      }
    }
    return Map.entry(pruned.withGraph(g.withNodes(nodes).withInitializers(init)), changes);
  }

  private static double rate(Graph g, Node n) {
    if (n.hasInput(1) && g.initializer(n.input(1)) != null) {
      return g.initializer(n.input(1)).floats()[0];
    }
    return n.floatAttr("ratio", 0.5f);
  }

  /** The weight of the layer whose output reaches {@code value} through element-wise ops. */
  private static String feedingWeight(Graph g, String value) {
    Node p = g.producer(value);
    while (p != null && OPS.kind(p) != null && ELEMENTWISE.contains(OPS.kind(p))) {
      p = g.producer(p.input(0));
    }
    if (p == null || OPS.kind(p) == null || !OPS.kind(p).isLayer()) {
      return null;
    }
    return g.initializer(p.input(1)) == null ? null : p.input(1);
  }

}
