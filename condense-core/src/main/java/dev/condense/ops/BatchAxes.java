package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Shape inference of a fixed-batch graph with the batch as a symbol, for {@link FixedBatch}. The
 * graph is inferred a second time with every input's batch B scaled by a prime; a dim that stays
 * is a k, one that scales is B·k, and anything else (B², a dim that shrinks) is refused. Every
 * node with a constant shape input ({@link Op#batchShapeSlot}) is a choice of where its output
 * carries B; the search tries each (depth first, forking the inference) and keeps the choices with
 * which the whole graph infers, no float output loses the batch its input had (a reduction over
 * samples), and every graph output has B as dim 0.
 */
final class BatchAxes {
  /** What the second inference multiplies the declared batch by: a prime no model dim shares by chance. */
  private static final int SCALE = 97;
  /** Node inferences the search may spend per graph node before it gives up. */
  private static final int STEPS_PER_NODE = 64;

  /** Per node index, the output dim that carries the batch (-1: none); or why none can be chosen. */
  record Choice(Map<Integer, Integer> axes, String refusal) {}

  /**
   * Where a value carries the batch: dim {@code axis} is {@code outer} × B × c, the batch's index
   * varying inside the outer factor ({@code outer} -1 where unknown).
   */
  private record Axis(int axis, long outer) {}

  private final OpTable table;
  private final Graph g;
  private final ShapeInference.Result base;
  private final int batch;
  private final int scaled;
  /** The choices that infer, one per distinct {@link #meaning}. */
  private final Map<Map<Integer, Integer>, Map<Integer, Integer>> solutions = new java.util.LinkedHashMap<>();
  private final long maxSteps;
  private long steps;
  private int deepest = -1;
  private String deepestWhy;

  BatchAxes(OpTable table, Graph g, ShapeInference.Result base, int batch) {
    this.table = table;
    this.g = g;
    this.base = base;
    this.batch = batch;
    this.scaled = Math.multiplyExact(batch, SCALE);
    this.maxSteps = (long) STEPS_PER_NODE * Math.max(1, g.nodes().size());
  }

  Choice solve() {
    Map<String, ValueType> inputs = new HashMap<>();
    Map<String, Axis> axes = new HashMap<>();
    for (ValueInfo vi : g.inputs()) {
      ValueType t = base.type(vi.name());
      if (t.shape().length > 0 && t.shape()[0] == batch && vi.dtype() != DType.BOOL) {
        int[] s = t.shape().clone();
        s[0] = scaled;
        inputs.put(vi.name(), new ValueType(t.dtype(), s));
        axes.put(vi.name(), new Axis(0, 1));
      }
    }
    ShapeInference.Stepper st;
    try {
      st = new ShapeInference.Stepper(table, g, inputs, Map.of());
    } catch (CondenseException e) {
      return new Choice(null, e.getMessage());
    }
    run(0, st, axes, new HashMap<>());
    List<Map<Integer, Integer>> found = new ArrayList<>(solutions.values());
    if (found.size() == 1) {
      return new Choice(found.get(0), null);
    }
    if (solutions.isEmpty()) {
      return new Choice(null, steps > maxSteps ? "too many ways to place the batch in its shapes to try"
          : deepestWhy);
    }
    return new Choice(null, ambiguity(meaning(found.get(0)), meaning(found.get(1))));
  }

  private String ambiguity(Map<Integer, Integer> a, Map<Integer, Integer> b) {
    TreeSet<Integer> at = new TreeSet<>(a.keySet());
    at.addAll(b.keySet());
    for (int i : at) {
      int x = a.getOrDefault(i, -1);
      int y = b.getOrDefault(i, -1);
      if (x != y) {
        Node n = g.nodes().get(i);
        return "node " + n.label() + ": which dim of its shape " + Arrays.toString(shape0(n.output(0)))
            + " is the batch cannot be decided (" + dim(x) + " or " + dim(y) + " both infer)";
      }
    }
    throw new IllegalStateException("two equal solutions");
  }

  private static String dim(int axis) {
    return axis < 0 ? "none" : "dim " + axis;
  }

  private void run(int from, ShapeInference.Stepper st, Map<String, Axis> axes, Map<Integer, Integer> choice) {
    List<Node> nodes = g.nodes();
    for (int i = from; i < nodes.size(); i++) {
      if (++steps > maxSteps) {
        return;
      }
      Node n = nodes.get(i);
      Op op = table.op(n);
      int slot = op.batchShapeSlot();
      if (slot >= 0 && n.hasInput(slot) && baked(n.input(slot), st)) {
        List<Integer> candidates = candidates(n, op, axes);
        if (candidates.isEmpty()) {
          fail(i, "node " + n.label() + ": no dim of its shape " + Arrays.toString(shape0(n.output(0)))
              + " can hold the batch with every sample's values kept together");
        }
        for (int axis : candidates) {
          ShapeInference.Stepper fork = st.copy();
          Map<String, Axis> forkAxes = new HashMap<>(axes);
          Map<Integer, Integer> forkChoice = new HashMap<>(choice);
          forkChoice.put(i, axis);
          Node variant = axis < 0 ? n : variant(n, slot, axis, fork, i);
          if (apply(i, n, variant, fork, forkAxes, axis < 0 ? null : outer(n, op, axes, axis))) {
            run(i + 1, fork, forkAxes, forkChoice);
          }
          if (solutions.size() > 1 || steps > maxSteps) {
            return;
          }
        }
        return;
      }
      if (!apply(i, n, n, st, axes, null)) {
        return;
      }
    }
    for (ValueInfo vi : g.outputs()) {
      Axis a = axes.get(vi.name());
      if (a == null || a.axis() != 0 || shape0(vi.name())[0] != batch) {
        fail(nodes.size(), "graph output '" + vi.name() + "' would not hold one row per sample");
        return;
      }
    }
    solutions.putIfAbsent(meaning(choice), choice);
  }

  /**
   * The choices that can change a result: those of nodes whose output is read only by Reshapes are
   * left out, as the elements of a view of a view are in the same order whichever dim held the batch.
   */
  private Map<Integer, Integer> meaning(Map<Integer, Integer> choice) {
    Map<Integer, Integer> r = new HashMap<>();
    choice.forEach((i, axis) -> {
      String out = g.nodes().get(i).output(0);
      List<Node> readers = g.consumers(out);
      boolean viewOnly = !readers.isEmpty() && !g.isGraphOutput(out)
          && readers.stream().allMatch(c -> table.op(c).batchShapeKeepsOrder() && c.input(0).equals(out));
      if (!viewOnly || !table.op(g.nodes().get(i)).batchShapeKeepsOrder()) {
        r.put(i, axis);
      }
    });
    return r;
  }

  /** Whether the shape input is the same constant whatever the batch (baked), not computed from it. */
  private boolean baked(String value, ShapeInference.Stepper st) {
    Tensor declared = base.constants().get(value);
    Tensor now = st.constants.get(value);
    return declared != null && now != null && Arrays.equals(declared.toLongs(), now.toLongs());
  }

  /** The output dims that may carry the batch, -1 for none. */
  private List<Integer> candidates(Node n, Op op, Map<String, Axis> axes) {
    int[] in = shape0(n.input(0));
    int[] out = shape0(n.output(0));
    Axis a = axes.get(n.input(0));
    List<Integer> r = new ArrayList<>();
    if (op.batchShapeKeepsOrder()) {
      if (a == null) {
        return List.of(-1);
      }
      for (int j = 0; j < out.length; j++) {
        if (out[j] % batch == 0 && (a.outer() < 0 || outerIn(in, a, out, j) > 0)) {
          r.add(j);
        }
      }
      return r;
    }
    int offset = out.length - in.length;
    if (a != null) {
      return List.of(a.axis() + offset);
    }
    r.add(-1);
    for (int j = 0; j < out.length; j++) {
      if (out[j] % batch == 0 && (j < offset || in[j - offset] == 1)) {
        r.add(j);
      }
    }
    return r;
  }

  /**
   * For a Reshape (same elements, same order) of {@code in}, whose batch is at {@code a}, to
   * {@code out} with the batch in dim {@code j}: the outer factor of dim {@code j} that keeps every
   * sample's elements where they were, or 0 where no factor does.
   */
  private long outerIn(int[] in, Axis a, int[] out, int j) {
    long before = product(in, 0, a.axis()) * a.outer();
    long after = in[a.axis()] / batch / a.outer() * product(in, a.axis() + 1, in.length);
    long outBefore = product(out, 0, j);
    long k = out[j] / batch;
    if (before % outBefore != 0 || k % (before / outBefore) != 0) {
      return 0;
    }
    long outer = before / outBefore;
    return k / outer * product(out, j + 1, out.length) == after ? outer : 0;
  }

  private Long outer(Node n, Op op, Map<String, Axis> axes, int axis) {
    Axis a = axes.get(n.input(0));
    if (!op.batchShapeKeepsOrder()) {
      return a == null ? 1L : a.outer();
    }
    return a.outer() < 0 ? -1L : outerIn(shape0(n.input(0)), a, shape0(n.output(0)), axis);
  }

  private static long product(int[] s, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      p *= s[i];
    }
    return p;
  }

  /** {@code n} with its shape input the declared output shape, dim {@code axis} following the batch. */
  private Node variant(Node n, int slot, int axis, ShapeInference.Stepper st, int index) {
    int[] out = shape0(n.output(0));
    long[] shape = new long[out.length];
    for (int d = 0; d < out.length; d++) {
      shape[d] = d == axis ? (long) out[d] / batch * scaled : out[d];
    }
    String name = n.input(slot) + "#batch" + index;
    st.constants.put(name, Tensor.ofLongs(shape, shape.length));
    st.types.put(name, new ValueType(DType.INT64, new int[] {shape.length}));
    List<String> inputs = new ArrayList<>(n.inputs());
    inputs.set(slot, name);
    return n.withInputs(inputs);
  }

  /**
   * Infers {@code variant} (node {@code i}, {@code n} as written) and where its outputs carry the
   * batch; false, with the reason kept, where that fails.
   */
  private boolean apply(int i, Node n, Node variant, ShapeInference.Stepper st, Map<String, Axis> axes, Long outer) {
    try {
      st.step(variant);
    } catch (CondenseException e) {
      return fail(i, e.getMessage());
    }
    boolean floatIn = false;
    for (String v : n.inputs()) {
      floatIn |= !v.isEmpty() && axes.containsKey(v) && base.type(v).dtype() == DType.FLOAT;
    }
    for (String o : n.outputs()) {
      ValueType t0 = o.isEmpty() ? null : base.types().get(o);
      ValueType t = o.isEmpty() ? null : st.types.get(o);
      if (t0 == null || t == null) {
        continue;
      }
      int[] s0 = t0.shape();
      int[] s = t.shape();
      if (s0.length != s.length) {
        return fail(i, "node " + n.label() + ": its output '" + o + "' changes rank with the batch");
      }
      int axis = -1;
      for (int d = 0; d < s.length; d++) {
        if (s[d] == s0[d]) {
          continue;
        }
        if (s0[d] % batch != 0 || s[d] != s0[d] / batch * scaled || axis >= 0) {
          return fail(i, "node " + n.label() + ": its output '" + o + "' " + Arrays.toString(s0)
              + " would not keep the batch in one dim");
        }
        axis = d;
      }
      if (axis < 0) {
        if (floatIn && t0.dtype() == DType.FLOAT) {
          return fail(i, "node " + n.label() + " combines the samples of a batch");
        }
        continue;
      }
      axes.put(o, new Axis(axis, outer != null ? outer : inherited(n, axes, s0[axis], s[axis])));
    }
    return true;
  }

  /** The outer factor of an input whose batch dim is the output's, unchanged; -1 where none is. */
  private long inherited(Node n, Map<String, Axis> axes, int declared, int now) {
    for (String v : n.inputs()) {
      Axis a = v.isEmpty() ? null : axes.get(v);
      if (a != null && shape0(v)[a.axis()] == declared && declared / batch * scaled == now) {
        return a.outer();
      }
    }
    return -1;
  }

  private int[] shape0(String value) {
    return base.type(value).shape();
  }

  private boolean fail(int node, String why) {
    if (node > deepest) {
      deepest = node;
      deepestWhy = why;
    }
    return false;
  }
}
