package dev.condense.structure;

import dev.condense.CondenseException;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Initializers as exporters share them. PyTorch stores identical tensors once (in an eval-mode
 * export, every fused BatchNorm bias that is all zeros becomes one initializer) and hands the copy
 * to each further consumer through an {@code Identity} node, or lets several nodes read it. A
 * tensor sliced by channel pruning must therefore be named by the initializer it really is, and
 * cut only if every node that reads it wants the same cut.
 */
public final class SharedTensors {
  private final Graph graph;
  private final OpTable table;
  private final ShapeInference.Result shapes;
  /** Each node's place in the graph: readers are listed in graph order. */
  private final Map<String, Integer> position = new java.util.HashMap<>();

  SharedTensors(Graph graph, OpTable table, ShapeInference.Result shapes) {
    this.graph = graph;
    this.table = table;
    this.shapes = shapes;
    for (Node n : graph.nodes()) {
      position.put(n.name(), position.size());
    }
  }

  /** The shared tensors of {@code model}, with the standard ops. */
  public static SharedTensors of(Model model) {
    Graph g = model.graph();
    return new SharedTensors(g, OpTable.standard(), ShapeInference.infer(g, Map.of()));
  }

  /**
   * The name of the initializer {@code value} is, directly or through views that keep its shape
   * (an exporter's Identity chain), or null if it is computed.
   */
  public String root(String value) {
    String v = value;
    while (!v.isEmpty() && graph.initializer(v) == null) {
      Node p = graph.producer(v);
      if (p == null || !sameDataView(p)) {
        return null;
      }
      v = p.input(0);
    }
    return v.isEmpty() ? null : v;
  }

  /** The initializer {@code value} is (see {@link #root}); an error naming it if it is computed. */
  public Tensor tensor(String value) {
    String r = root(value);
    if (r == null) {
      throw new CondenseException("'" + value + "' is not a weight initializer (nor an Identity of one)");
    }
    return graph.initializer(r);
  }

  /** Whether {@code n} outputs its first input element for element, in the same shape. */
  private boolean sameDataView(Node n) {
    return table.kind(n) == Kind.VIEW && !n.inputs().isEmpty() && n.outputs().size() == 1
        && shapes.types().containsKey(n.input(0)) && shapes.types().containsKey(n.output(0))
        && Arrays.equals(shapes.type(n.input(0)).shape(), shapes.type(n.output(0)).shape());
  }

  /**
   * Who reads initializer {@code root}, directly or through its same-shape views (the views
   * themselves are not readers): node names, and {@code "the graph output 'y'"} for a view that
   * is an output of the graph.
   */
  List<String> readers(String root) {
    List<String> out = new ArrayList<>();
    collect(root, out);
    out.sort(java.util.Comparator.comparingInt(r -> position.getOrDefault(r, Integer.MAX_VALUE)));
    return out;
  }

  private void collect(String value, List<String> out) {
    if (graph.isGraphOutput(value)) {
      out.add("the graph output '" + value + "'");
    }
    for (Node c : graph.consumers(value)) {
      if (sameDataView(c) && c.input(0).equals(value)) {
        collect(c.output(0), out);
      } else if (!out.contains(c.name())) {
        out.add(c.name());
      }
    }
  }
}
