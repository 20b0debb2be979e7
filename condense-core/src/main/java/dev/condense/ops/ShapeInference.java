package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import dev.condense.SizeBudget;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes the element type and concrete shape of every value in a graph from the shapes of its
 * inputs, asking each node's {@link Op} of an {@link OpTable} (by default the standard one);
 * ONNX opset 13+ semantics. Also reports the constant values (initializers, {@code Constant}
 * outputs, and nodes folded at load time), which ops such as Reshape need.
 *
 * <p>Folding: nodes whose inputs are all constants are computed once, where their op folds
 * ({@link Op#foldable}). They appear where weights are stored compressed inside an ONNX file — a
 * codebook gathered by uint8 indices, product quantization's segments concatenated, residual
 * quantization's stages added — and in the small integer computations exporters emit for constant
 * arguments (PyTorch builds {@code F.pad}'s pads with ConstantOfShape, Concat, Slice and
 * Transpose); folding them gives the engine ordinary weights and constants.
 *
 * <p>Any inconsistency is a {@link CondenseException} naming the node: unsupported op, wrong
 * input count, mismatched shapes.
 */
public final class ShapeInference {

  private ShapeInference() {}

  /** The result: a type per value name, and the values known before running. */
  public record Result(Map<String, ValueType> types, Map<String, Tensor> constants) {
    public ValueType type(String value) {
      ValueType t = types.get(value);
      if (t == null) {
        throw new CondenseException("no value named '" + value + "' in the graph");
      }
      return t;
    }
  }

  /**
   * Infers every value's type for the given input shapes. {@code inputs} maps each graph input
   * name to its concrete type; a missing entry uses the declared shape with symbolic dims = 1.
   */
  public static Result infer(Graph g, Map<String, ValueType> inputs) {
    return infer(g, inputs, Map.of());
  }

  /**
   * Like {@link #infer(Graph, Map)}, with the values of some inputs known in advance (e.g. an
   * int64 shape fed to Reshape); they count as constants.
   */
  public static Result infer(Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues) {
    return infer(OpTable.standard(), g, inputs, inputValues);
  }

  /** Like {@link #infer(Graph, Map, Map)}, with the ops of {@code table}. */
  public static Result infer(OpTable table, Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues) {
    return infer(table, g, inputs, inputValues, MemoryLimit.forThisHeap());
  }

  /**
   * Like {@link #infer(OpTable, Graph, Map, Map)}, constants folded within {@code limit}: an
   * explicit limit is the bound on what folding may allocate; the default one caps the
   * {@link SizeBudget} of the graph's weights.
   */
  public static Result infer(OpTable table, Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues,
      MemoryLimit limit) {
    Stepper s = new Stepper(table, g, inputs, inputValues, limit);
    for (Node n : g.nodes()) {
      s.step(n);
    }
    return s.finish();
  }

  /**
   * The inference of one graph node by node, for a caller that tries alternatives ({@link
   * FixedBatch}): {@link #copy} forks the state, {@link #step} infers one node (of the graph or a
   * variant of it) and {@link #finish} checks what is left.
   */
  static final class Stepper {
    private final OpTable table;
    private final Graph g;
    final Map<String, ValueType> types;
    final Map<String, Tensor> constants;
    private final Set<String> folded;
    private final Set<String> fromShapes;
    private final List<Node> loadTimeOnly;
    private final FoldBudget budget;

    Stepper(OpTable table, Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues) {
      this(table, g, inputs, inputValues, MemoryLimit.forThisHeap());
    }

    Stepper(OpTable table, Graph g, Map<String, ValueType> inputs, Map<String, Tensor> inputValues, MemoryLimit limit) {
      this.table = table;
      this.g = g;
      types = new LinkedHashMap<>();
      constants = new HashMap<>(g.initializers());
      constants.putAll(inputValues);
      folded = new HashSet<>();
      fromShapes = new HashSet<>();
      loadTimeOnly = new ArrayList<>();
      budget = new FoldBudget(g, limit);
      for (ValueInfo vi : g.inputs()) {
        requireFloat32Boundary(vi, "graph input");
        ValueType t = inputs.get(vi.name());
        if (t == null) {
          int[] s = vi.shapeOr(1);
          if (s == null) {
            throw new CondenseException("graph input '" + vi.name() + "' has no declared shape; give one");
          }
          t = new ValueType(vi.dtype(), s);
        }
        types.put(vi.name(), t);
      }
      for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
        types.put(e.getKey(), new ValueType(e.getValue().dtype(), e.getValue().shape()));
      }
    }

    private Stepper(Stepper o) {
      table = o.table;
      g = o.g;
      types = new LinkedHashMap<>(o.types);
      constants = new HashMap<>(o.constants);
      folded = new HashSet<>(o.folded);
      fromShapes = new HashSet<>(o.fromShapes);
      loadTimeOnly = new ArrayList<>(o.loadTimeOnly);
      budget = o.budget.copy();
    }

    /** An independent copy of this state. */
    Stepper copy() {
      return new Stepper(this);
    }

    /** Infers {@code n}; a {@link CondenseException} names it (or the load-time node it depends on). */
    void step(Node n) {
      try {
        inferNode(table, g, n, types, constants, folded, fromShapes, loadTimeOnly, budget);
      } catch (CondenseException e) {
        // A node downstream of one Condense cannot run sees made-up types: report the cause.
        throw loadTimeOnly.isEmpty() ? e : notRunnable(loadTimeOnly);
      }
    }

    /** The result, once every node is inferred. */
    Result finish() {
      if (!loadTimeOnly.isEmpty()) {
        throw notRunnable(loadTimeOnly);
      }
      for (ValueInfo vi : g.outputs()) {
        requireFloat32Boundary(vi, "graph output");
        if (!types.containsKey(vi.name())) {
          throw new CondenseException("graph output '" + vi.name() + "' is not produced by any node");
        }
      }
      return new Result(types, constants);
    }
  }

  /**
   * Refuses a graph input or output of float16, bfloat16 or double (a {@code model.half()} or
   * {@code model.double()} export): Condense computes in float32, and converting silently at the
   * boundary would hand back values of another precision than the model declares. Weights of those
   * types are read (and written back in their type); only the model's interface must be float32.
   */
  private static void requireFloat32Boundary(ValueInfo vi, String role) {
    if (vi.dtype().isFloat() && vi.dtype() != DType.FLOAT) {
      throw new CondenseException(role + " '" + vi.name() + "' is " + vi.dtype().label()
          + ", but Condense computes in float32 and takes models with float32 inputs and outputs"
          + " (export the model in float32; float16 or double weights behind a Cast are fine)");
    }
  }

  /** Every node that is computed at load time only but has inputs known only at run time, in one line. */
  private static CondenseException notRunnable(List<Node> nodes) {
    String where = " on constant inputs only (initializers, Constant outputs or shapes)";
    if (nodes.size() == 1) {
      Node n = nodes.get(0);
      return new CondenseException("node " + n.label() + ": Condense supports " + n.opType() + where);
    }
    List<String> labels = nodes.stream().map(Node::label).toList();
    return new CondenseException("Condense supports " + String.join(", ",
        new java.util.TreeSet<>(nodes.stream().map(Node::opType).toList())) + where
        + ", but these nodes compute them from run-time values: " + String.join(", ", labels));
  }

  /**
   * What folding may still allocate, counted over every fold of one inference: the
   * {@link SizeBudget} of the graph's weights (a small file's ConstantOfShape of 2^29 floats must
   * not be computed) within the memory limit, or the memory limit itself when the user set one.
   */
  private static final class FoldBudget {
    final long weightBytes;
    final long allowed;
    final MemoryLimit limit;
    long spent;

    FoldBudget(Graph g, MemoryLimit limit) {
      long bytes = 0;
      for (Tensor t : g.initializers().values()) {
        bytes += t.byteSize();
      }
      this.weightBytes = bytes;
      this.limit = limit;
      this.allowed = SizeBudget.allowed(bytes, limit);
    }

    FoldBudget copy() {
      FoldBudget b = new FoldBudget(weightBytes, allowed, limit);
      b.spent = spent;
      return b;
    }

    private FoldBudget(long weightBytes, long allowed, MemoryLimit limit) {
      this.weightBytes = weightBytes;
      this.allowed = allowed;
      this.limit = limit;
    }

    /** Where the bound comes from, for messages. */
    String source() {
      return limit.explicit() ? "within the memory limit" : "in a model of " + weightBytes + " bytes of weights (at most "
          + SizeBudget.EXPANSION + "× them, " + (SizeBudget.FLOOR_BYTES >> 20) + " MiB at least, and "
          + limit.source() + " at most)";
    }
  }

  /**
   * Whether folding the node stays within the budget. A node only Condense computes at load time
   * (ConstantOfShape, Range) is refused beyond it, naming the node; any other is left unfolded.
   */
  private static boolean withinBudget(Node n, Op op, List<Tensor> values, ValueType inferred, FoldBudget budget) {
    long elements = op.foldedElements(n, values, inferred);
    long bytes = elements > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : elements * 8; // int64 is the widest element
    long limit = budget.allowed - budget.spent;
    if (bytes <= limit) {
      return true;
    }
    if (op.constantOnly(n)) {
      throw new CondenseException("node " + n.label() + ": " + n.opType() + " computed at load time would make "
          + (elements == Long.MAX_VALUE ? "more than 2^63" : elements) + " elements, more than the "
          + MemoryLimit.describe(Math.max(0, limit)) + " left for constants computed at load " + budget.source());
    }
    return false;
  }

  /** Whether {@code v} is a float initializer as stored (a weight), not a value folded at load. */
  private static boolean floatWeight(Graph g, String v, Set<String> folded) {
    Tensor t = v.isEmpty() || folded.contains(v) ? null : g.initializer(v);
    return t != null && t.dtype() == DType.FLOAT;
  }

  private static void inferNode(OpTable table, Graph g, Node n, Map<String, ValueType> types,
      Map<String, Tensor> constants, Set<String> folded, Set<String> fromShapes, List<Node> loadTimeOnly,
      FoldBudget budget) {
    List<ValueType> in = new ArrayList<>();
    for (String name : n.inputs()) {
      if (name.isEmpty()) {
        in.add(null);
        continue;
      }
      ValueType t = types.get(name);
      if (t == null) {
        throw new CondenseException("node " + n.label() + ": input '" + name
            + "' is neither a graph input, an initializer nor the output of another node");
      }
      in.add(t);
    }
    Op op = table.op(n);
    List<ValueType> out = op.infer(n, in, constants::get);
    for (int i = 0; i < n.outputs().size(); i++) {
      String o = n.outputs().get(i);
      if (o.isEmpty()) {
        continue;
      }
      if (i >= out.size()) {
        throw new CondenseException("node " + n.label() + ": output " + i + " ('" + o
            + "') is not supported by Condense");
      }
      types.put(o, out.get(i));
    }
    List<Tensor> values = new ArrayList<>();
    for (String name : n.inputs()) {
      values.add(name.isEmpty() ? null : constants.get(name));
    }
    // A node without inputs is constant only if its op says so (Constant).
    boolean allConstant = !values.contains(null) && (!values.isEmpty() || op.constantOnly(n));
    Tensor fromTypes = op.valueFromTypes(n, in);
    if (fromTypes != null) {
      constants.put(n.output(0), fromTypes);
      folded.add(n.output(0));
      fromShapes.add(n.output(0));
      types.put(n.output(0), new ValueType(fromTypes.dtype(), fromTypes.shape()));
      return;
    }
    if (op.constantOnly(n) && !allConstant) {
      loadTimeOnly.add(n);
      return;
    }
    // Other ops fold only on values already decoded or computed at load time, and on non-float
    // constants: a float weight initializer that merely passes a Reshape or an Identity must
    // stay a trainable weight.
    // A weight looked up by values computed from the input's shape (position embeddings gathered
    // by Range(0, T)) stays a weight too: that is no stored encoding of it.
    boolean shapeDriven = n.inputs().stream().anyMatch(fromShapes::contains);
    boolean decoded = (op.decodesWeights(n) && !shapeDriven) || !floatWeight(g, n.input(0), folded);
    // Nor does a float weight entering a later slot (ones(...) * gamma): only computed constants fold there.
    boolean laterWeight = false;
    for (int i = 1; i < n.inputs().size() && !op.decodesWeights(n); i++) {
      laterWeight |= op.isFloatSlot(i) && floatWeight(g, n.input(i), folded); // not Resize's scales, a description
    }
    if (allConstant && decoded && !laterWeight && op.foldable(n, values)) {
      if (!withinBudget(n, op, values, out.isEmpty() ? null : out.get(0), budget)) {
        return; // kept as a node: computed at run time like any other
      }
      Tensor t = op.fold(n, values);
      budget.spent += t.byteSize();
      constants.put(n.output(0), t);
      folded.add(n.output(0));
      if (shapeDriven) {
        fromShapes.add(n.output(0));
      }
      types.put(n.output(0), new ValueType(t.dtype(), t.shape()));
    }
  }
}
