package dev.condense.ops;

import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which float initializers of a graph are parameters that training updates, and why the others
 * stay frozen: the one rule the engine trains by and {@code condense info} reports. A model is
 * more than its parameters — a user's preprocessing {@code Mul}/{@code Add}, an epsilon, an
 * attention mask or the constants of shape code are part of what the model computes, and training
 * them (as every float initializer used to be) silently changes it.
 *
 * <p>The rule (see {@code docs/training.md}), decided where a constant first meets a run-time
 * value (a value computed from a graph input through float input slots, or from an integer one
 * through index slots: token ids):
 * <ol>
 *   <li>A constant with a NaN or an infinity is frozen (a mask of −∞).
 *   <li>A constant that reaches a slot that is not a float tensor ({@link Op#isFloatSlot}: shapes,
 *       axes, scales of a resize) feeds shape code: frozen.
 *   <li>Running statistics ({@link Op#isStatistic}) are frozen.
 *   <li>A constant in a parameter slot ({@link Op#isParameterSlot}: weights, biases, normalisation
 *       scale and shift) trains.
 *   <li>A constant in another float slot (an {@code Add}, a {@code Concat}) trains when it is a
 *       learned tensor entering the data path after a layer (a position embedding, a class
 *       token), unless it has one element (an epsilon, a scale), the run-time operand has not yet
 *       passed a parametric layer (a preprocessing prefix), or the node feeds a softmax through
 *       element-wise ops only without being a layer's bias and the constant holds at most two
 *       distinct values (an attention mask of 0 and −10⁴; swin's learned relative position bias,
 *       folded by the exporter into one constant before the softmax, trains).
 * </ol>
 * A constant used in several places takes the first verdict of that list that any use gives.
 */
public final class TrainableTensors {

  /** One float initializer: whether it trains, and the reason (e.g. "preprocessing prefix, at 'scale' (Mul -> x) before the first layer"). */
  public record Entry(String name, long size, boolean trains, String reason) {}

  /** Uses of a constant, in the order of the rule's precedence. */
  private enum Use { NON_FINITE, SHAPE, STATISTIC, PARAMETER, LEARNED, FROZEN_DATA }

  private final Map<String, Entry> entries;

  private TrainableTensors(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** The verdicts for every float initializer of {@code g}, in initializer order. */
  public static TrainableTensors of(Graph g, OpTable ops) {
    return new Analysis(g, ops).run();
  }

  /** Every float initializer with its verdict. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The float initializers the rule freezes. */
  public Set<String> frozen() {
    Set<String> r = new LinkedHashSet<>();
    entries.values().stream().filter(e -> !e.trains()).forEach(e -> r.add(e.name()));
    return r;
  }

  /** Elements of the float initializers that train. */
  public long trainableCount() {
    return entries.values().stream().filter(Entry::trains).mapToLong(Entry::size).sum();
  }

  /** One pass over the graph in node order (ONNX graphs are topologically sorted). */
  private static final class Analysis {
    private final Graph g;
    private final OpTable ops;
    /** Values computed from a float graph input through float slots. */
    private final Set<String> live = new HashSet<>();
    /** Live values computed after a parametric layer. */
    private final Set<String> afterLayer = new HashSet<>();
    /** Outputs of parametric layers. */
    private final Set<String> layerOutputs = new HashSet<>();
    /** For a constant value, the float initializers it is computed from through float slots. */
    private final Map<String, Set<String>> origin = new HashMap<>();
    private final Map<String, Use> use = new HashMap<>();
    private final Map<String, String> reason = new HashMap<>();

    Analysis(Graph g, OpTable ops) {
      this.g = g;
      this.ops = ops;
    }

    TrainableTensors run() {
      for (ValueInfo vi : g.inputs()) {
        if (!g.isInitializer(vi.name())) { // float data, and integer ones that index (token ids)
          live.add(vi.name());
        }
      }
      for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
        if (e.getValue().dtype() == DType.FLOAT) {
          origin.put(e.getKey(), Set.of(e.getKey()));
          if (!finite(e.getValue())) {
            record(e.getKey(), Use.NON_FINITE, "non-finite constant");
          }
        }
      }
      for (Node n : g.nodes()) {
        Op op = ops.find(n.opType());
        if (op != null) {
          visit(n, op);
        }
      }
      Map<String, Entry> out = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
        if (e.getValue().dtype() == DType.FLOAT) {
          String name = e.getKey();
          Use u = use.get(name);
          boolean trains = u == Use.PARAMETER || u == Use.LEARNED;
          out.put(name, new Entry(name, e.getValue().size(), trains,
              u == null ? "not on the path from the inputs to the outputs" : reason.get(name)));
        }
      }
      return new TrainableTensors(out);
    }

    private void visit(Node n, Op op) {
      boolean isLive = false;
      boolean after = false;
      boolean parametric = false;
      for (int i = 0; i < n.inputs().size(); i++) {
        String v = n.input(i);
        if (!v.isEmpty() && (op.isFloatSlot(i) || op.isIndexSlot(i)) && live.contains(v)) {
          isLive = true;
          after |= afterLayer.contains(v);
        }
      }
      Set<String> derived = new LinkedHashSet<>();
      for (int i = 0; i < n.inputs().size(); i++) {
        String v = n.input(i);
        Set<String> from = v.isEmpty() || live.contains(v) ? null : origin.get(v);
        if (from == null) {
          continue;
        }
        if (!op.isFloatSlot(i)) {
          recordAll(from, Use.SHAPE, "feeds shape code, at " + n.label());
        } else if (!isLive) {
          derived.addAll(from);
        } else if (op.isStatistic(i)) {
          recordAll(from, Use.STATISTIC, "running statistic of " + n.label());
        } else if (op.isParameterSlot(i)) {
          parametric = true;
          recordAll(from, Use.PARAMETER, "parameter of " + n.label());
        } else {
          String frozen = frozenData(n, op, v, from, after);
          if (frozen == null) {
            recordAll(from, Use.LEARNED, "learned tensor entering after a layer, at " + n.label());
          } else {
            recordAll(from, Use.FROZEN_DATA, frozen);
          }
        }
      }
      for (String o : n.outputs()) {
        if (o.isEmpty()) {
          continue;
        }
        if (isLive) {
          live.add(o);
          if (after || parametric) {
            afterLayer.add(o);
          }
          if (parametric) {
            layerOutputs.add(o);
          }
        } else if (!derived.isEmpty()) {
          origin.put(o, derived);
        }
      }
    }

    /** Why a constant in a plain data slot of a live node stays frozen, or null if it trains. */
    private String frozenData(Node n, Op op, String v, Set<String> from, boolean after) {
      String at = n.label();
      if (elements(v, from) == 1) {
        return "single-element constant, at " + at;
      }
      if (!after) {
        return "preprocessing prefix, at " + at + " before the first layer";
      }
      boolean biasOfLayer = n.inputs().stream().anyMatch(layerOutputs::contains);
      if (!biasOfLayer && feedsSoftmax(n) && maskLike(from)) {
        return "attention mask, at " + at + " before a softmax";
      }
      return null;
    }

    /** 1 for a one-element constant: the initializer's size, or 1 if it derives from one-element initializers only. */
    private long elements(String v, Set<String> from) {
      Tensor t = g.initializer(v);
      if (t != null) {
        return t.size();
      }
      return from.stream().allMatch(x -> g.initializer(x).size() == 1) ? 1 : 2;
    }

    /** Whether every initializer the constant comes from holds at most two distinct values, as a mask does. */
    private boolean maskLike(Set<String> from) {
      for (String x : from) {
        Tensor t = g.initializer(x);
        if (t.dtype() != DType.FLOAT) {
          continue;
        }
        float[] v = t.floats();
        float first = v[0];
        float other = first;
        for (float f : v) {
          if (Float.compare(f, first) != 0 && Float.compare(f, other) != 0) {
            if (Float.compare(other, first) != 0) {
              return false;
            }
            other = f;
          }
        }
      }
      return true;
    }

    /** Whether the node's output reaches a softmax through element-wise ops only. */
    private boolean feedsSoftmax(Node n) {
      List<String> frontier = new ArrayList<>(n.outputs());
      Set<String> seen = new HashSet<>();
      while (!frontier.isEmpty()) {
        String v = frontier.remove(frontier.size() - 1);
        if (!seen.add(v)) {
          continue;
        }
        for (Node c : g.consumers(v)) {
          Kind k = ops.kind(c);
          if (k == Kind.DISTRIBUTION) {
            return true;
          }
          if (k == Kind.ELEMENTWISE_BINARY || k == Kind.ELEMENTWISE_UNARY) {
            frontier.addAll(c.outputs());
          }
        }
      }
      return false;
    }

    private void recordAll(Set<String> names, Use u, String why) {
      names.forEach(x -> record(x, u, why));
    }

    /** Keeps the use first in the rule's precedence; among equal ones, the first seen. */
    private void record(String name, Use u, String why) {
      Use old = use.get(name);
      if (old == null || u.ordinal() < old.ordinal()) {
        use.put(name, u);
        reason.put(name, why);
      }
    }

    private static boolean finite(Tensor t) {
      for (float x : t.floats()) {
        if (!Float.isFinite(x)) {
          return false;
        }
      }
      return true;
    }
  }
}
