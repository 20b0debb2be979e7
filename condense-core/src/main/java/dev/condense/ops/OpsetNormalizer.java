package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one pass that reads ops written at older opsets: every node whose op changed its definition
 * since the model's opset is rewritten once, at load, into the form the op table implements
 * ({@link LegacyForms}: axes and split attributes become inputs, Pad/Clip/Slice/Dropout
 * attributes become inputs, BatchNormalization's old attributes and outputs go, Softmax's
 * coerce-to-2-D semantics become an explicit Flatten/Reshape, legacy broadcasting becomes
 * numpy broadcasting). Passes, the engine and the writer then see one form.
 *
 * <p>The normalised form is that of opset {@link #TARGET_OPSET}: a model below it in which any
 * node was rewritten is declared at opset 13 (and IR version 7, the first that carries opset 13),
 * which is valid because every other node's op has a definition unchanged since its opset
 * ({@link Op#since}) or one that opset 13 reads the same way. A model that needs no rewrite keeps
 * its opset. Nodes that cannot be rewritten are left as they are and named in
 * {@link Result#refused()}, with the op, the node and the opset.
 */
public final class OpsetNormalizer {
  /** The opset of the normalised form. */
  public static final long TARGET_OPSET = 13;
  /** The IR version written with it (ONNX 1.8, the first with opset 13). */
  public static final long TARGET_IR_VERSION = 7;

  private OpsetNormalizer() {}

  /** The normalised model; {@code refused}: one line per node that could not be read. */
  public record Result(Model model, boolean changed, List<String> refused) {}

  /** Normalises {@code m}'s default-domain nodes with the standard op table. */
  public static Result normalize(Model m) {
    return normalize(m, OpTable.standard());
  }

  /** Normalises {@code m}'s default-domain nodes with {@code table}. */
  public static Result normalize(Model m, OpTable table) {
    int opset = (int) m.opset();
    if (opset < 0 || opset >= TARGET_OPSET) {
      Graph g = UnreadMasks.strip(m.graph(), table); // the current form, less an output nothing reads
      return new Result(g == m.graph() ? m : m.withGraph(g), false, List.of());
    }
    Rewrite first = new Rewrite(m.graph(), declaredRanks(m.graph()), false);
    List<String> refused = new ArrayList<>();
    List<Node> deferred = new ArrayList<>();
    Graph g = first.run(table, opset, refused, deferred);
    if (!deferred.isEmpty()) {
      Rewrite second = new Rewrite(g, inferredRanks(g, table), true);
      g = second.run(table, opset, refused, new ArrayList<>());
    }
    boolean changed = first.changed || !deferred.isEmpty();
    Model out = m;
    if (changed) {
      Map<String, Long> opsets = new LinkedHashMap<>(m.opsetImports());
      opsets.remove("ai.onnx");
      opsets.put("", TARGET_OPSET);
      out = new Model(g, Math.max(m.irVersion(), TARGET_IR_VERSION), opsets, m.producerName(),
          m.producerVersion(), m.docString(), m.metadata(), m.annotations());
    }
    return new Result(out, changed, List.copyOf(refused));
  }

  private static Map<String, Integer> declaredRanks(Graph g) {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    List<ValueInfo> all = new ArrayList<>(g.inputs());
    all.addAll(g.valueInfo());
    all.addAll(g.outputs());
    for (ValueInfo v : all) {
      if (v.dims() != null) {
        ranks.put(v.name(), v.dims().size());
      }
    }
    g.initializers().forEach((name, t) -> ranks.put(name, t.shape().length));
    return ranks;
  }

  /** Ranks from shape inference where the graph, as rewritten so far, infers; else the declared ones. */
  private static Map<String, Integer> inferredRanks(Graph g, OpTable table) {
    Map<String, Integer> ranks = declaredRanks(g);
    try {
      ShapeInference.Result r = ShapeInference.infer(table, g, Map.of(), Map.of());
      for (Map.Entry<String, ValueType> e : r.types().entrySet()) {
        ranks.put(e.getKey(), e.getValue().rank());
      }
    } catch (CondenseException e) {
      // An old form shape inference cannot read yet (PRelu's per-channel slope): ranks stay declared.
    }
    return ranks;
  }

  /** One walk over the nodes: what {@link LegacyForms} needs of the graph, and what it adds. */
  static final class Rewrite {
    private final Graph graph;
    private final Map<String, Integer> ranks;
    private final boolean last;
    private final Map<String, Tensor> initializers;
    private final Set<String> names = new HashSet<>();
    private final Set<String> used = new HashSet<>();
    private boolean changed;

    Rewrite(Graph graph, Map<String, Integer> ranks, boolean last) {
      this.graph = graph;
      this.ranks = ranks;
      this.last = last;
      this.initializers = new LinkedHashMap<>(graph.initializers());
      names.addAll(initializers.keySet());
      graph.inputs().forEach(v -> names.add(v.name()));
      for (Node n : graph.nodes()) {
        names.addAll(n.outputs());
        names.add(n.name());
        used.addAll(n.inputs());
      }
      graph.outputs().forEach(v -> used.add(v.name()));
    }

    Graph run(OpTable table, int opset, List<String> refused, List<Node> deferred) {
      List<Node> nodes = new ArrayList<>();
      for (Node n : graph.nodes()) {
        Op op = table.find(n.opType());
        String tooOld = op != null && opset < op.since() ? n.opType() + " at opset " + opset
            + " has a definition Condense does not implement (it needs opset " + op.since()
            + " or later; re-export with opset_version=" + TARGET_OPSET + ")" : null;
        LegacyForms.Outcome o = tooOld != null ? LegacyForms.Outcome.refuse(tooOld)
            : LegacyForms.rewrite(n, opset, this, table);
        if (o.refusal() != null) {
          refused.add("node " + n.label() + ": " + o.refusal());
        }
        if (o.deferred()) {
          deferred.add(n);
        }
        changed |= o.nodes() != null;
        nodes.addAll(o.nodes() == null ? List.of(n) : o.nodes());
      }
      return graph.withNodes(nodes).withInitializers(initializers);
    }

    /** The value of a constant (an initializer or a folded Constant node), or null. */
    Tensor constant(String value) {
      Tensor t = initializers.get(value);
      if (t != null) {
        return t;
      }
      Node p = graph.producer(value);
      return p != null && p.has("value") && p.inputs().isEmpty() ? p.tensorAttr("value") : null;
    }

    /** The rank of a value, or -1 where not known. */
    int rank(String value) {
      Integer r = ranks.get(value);
      return r == null ? -1 : r;
    }

    /** Whether ranks still unknown stay unknown (the second, last walk). */
    boolean isLastWalk() {
      return last;
    }

    /** Whether a node or a graph output reads {@code value}. */
    boolean isUsed(String value) {
      return used.contains(value);
    }

    /** Adds an initializer under a new name derived from {@code hint} and returns the name. */
    String addConstant(String hint, Tensor t) {
      String name = fresh(hint);
      initializers.put(name, t);
      return name;
    }

    /**
     * The name of {@code t}, the constant {@code value} reshaped: the initializer itself where
     * only one node reads it (a weight keeps its name), else a new one.
     */
    String reshaped(String value, Tensor t) {
      if (initializers.containsKey(value) && graph.consumers(value).size() == 1 && !graph.isGraphOutput(value)) {
        initializers.put(value, t);
        return value;
      }
      return addConstant(value + "_reshaped", t);
    }

    /** A value or node name not used in the graph, derived from {@code hint}. */
    String fresh(String hint) {
      String name = hint;
      for (int i = 1; names.contains(name); i++) {
        name = hint + "_" + i;
      }
      names.add(name);
      return name;
    }
  }
}
