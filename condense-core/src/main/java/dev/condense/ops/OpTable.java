package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ops Condense supports, by ONNX op type: immutable. {@link #standard()} holds Condense's
 * own; {@link #with} returns a table with a user's op added, so there is no global registry to
 * change. Passes look a node's op up here and ask it what they need.
 */
public final class OpTable {
  private static final OpTable STANDARD = new OpTable(List.of(
      new Conv(), new Gemm(), new MatMul(),
      new ConvTranspose(), new Resize(),
      Arithmetic.ADD, Arithmetic.SUB, Arithmetic.MUL, Arithmetic.DIV,
      Activations.RELU, Activations.LEAKY_RELU, Activations.SIGMOID, Activations.TANH, new Clip(),
      Pools.MAX, Pools.AVERAGE, new GlobalAveragePool(), new BatchNormalization(), new Softmax(),
      new Identity(), new Flatten(), new Reshape(), new Dropout(),
      new Concat(), new Pad(), new Slice(),
      new Constant(), new ConstantOfShape(), new Cast(), new Gather(), new Einsum(), new Transpose(),
      Reduce.MEAN, Reduce.SUM, Reduce.MAX, Reduce.MIN, Reduce.L2, Reduce.SUM_SQUARE, new ArgMax(),
      new LayerNormalization(), new InstanceNormalization(), new Split(), new Tile(), new Expand(),
      MathFunctions.SQRT, MathFunctions.EXP, MathFunctions.LOG, MathFunctions.NEG, MathFunctions.ABS,
      MathFunctions.RECIPROCAL, MathFunctions.ERF, MathFunctions.SIGN, MathFunctions.FLOOR, MathFunctions.CEIL,
      MathFunctions.ROUND, new Pow(), Variadic.SUM, Variadic.MEAN, Variadic.MAX, Variadic.MIN,
      SmoothActivations.HARD_SIGMOID, SmoothActivations.HARD_SWISH, SmoothActivations.ELU, SmoothActivations.SELU,
      SmoothActivations.CELU, SmoothActivations.SOFTPLUS, SmoothActivations.SOFTSIGN, SmoothActivations.GELU,
      SmoothActivations.MISH, new PRelu(), Softmax.logSoftmax(),
      ShapeOf.SHAPE, ShapeOf.SIZE, AxesView.UNSQUEEZE, AxesView.SQUEEZE, new Range(), new Where(),
      Comparison.EQUAL, Comparison.GREATER, Comparison.LESS, Comparison.AND, Comparison.NOT,
      Recurrent.LSTM, Recurrent.GRU, Recurrent.RNN,
      new Mod(),
      new ScatterND(),
      new CastLike(),
      QuantizeLinear.QUANTIZE, QuantizeLinear.DEQUANTIZE,
      new QLinearConv()));

  private final Map<String, Op> ops;

  private OpTable(List<Op> list) {
    Map<String, Op> m = new LinkedHashMap<>();
    for (Op op : list) {
      if (m.put(op.type(), op) != null) {
        throw new IllegalArgumentException("op '" + op.type() + "' is defined twice");
      }
    }
    this.ops = Collections.unmodifiableMap(m);
  }

  /** Condense's own ops. */
  public static OpTable standard() {
    return STANDARD;
  }

  /** This table with {@code op} added, or replacing the op of the same type. */
  public OpTable with(Op op) {
    List<Op> list = new ArrayList<>();
    for (Op o : ops.values()) {
      if (!o.type().equals(op.type())) {
        list.add(o);
      }
    }
    list.add(op);
    return new OpTable(list);
  }

  /** The op of type {@code type}, or null if the table has none. */
  public Op find(String type) {
    return ops.get(type);
  }

  /** The op of the node; an error naming the node and the supported ops if there is none. */
  public Op op(Node n) {
    Op op = ops.get(n.opType());
    if (op == null) {
      throw new CondenseException("unsupported op '" + n.opType() + "' at node " + n.label()
          + " (Condense supports " + String.join(", ", types()) + ")");
    }
    return op;
  }

  /** The kind of the node's op, or null for an op the table lacks. */
  public Kind kind(Node n) {
    Op op = ops.get(n.opType());
    return op == null ? null : op.kind();
  }

  /** Whether the node is a layer of kind {@code kind} (a shorthand passes use often). */
  public boolean is(Node n, Kind kind) {
    return kind(n) == kind;
  }

  /** The supported op types, sorted. */
  public Set<String> types() {
    return Collections.unmodifiableSet(new TreeSet<>(ops.keySet()));
  }

  /** Every op, in registration order. */
  public List<Op> ops() {
    return List.copyOf(ops.values());
  }

  /**
   * The value a classification loss reads: the first output, or the input of a final op that
   * makes probabilities (Softmax; a model that ends in probabilities is trained, and distilled
   * from, on the logits before them). Null for a graph without outputs.
   */
  public String logitsValue(Graph g) {
    if (g.outputs().isEmpty()) {
      return null;
    }
    String out = g.outputs().get(0).name();
    Node p = g.producer(out);
    return p != null && kind(p) == Kind.DISTRIBUTION ? p.input(0) : out;
  }

  /**
   * Elements of the float parameters that train ({@link TrainableTensors}): weights, biases and
   * normalisation parameters of layers and learned tensors after them, not running statistics
   * (BatchNormalization's mean and variance, which PyTorch keeps as buffers) nor the frozen
   * constants of preprocessing, masks or shape code. Comparable with the papers' counts.
   */
  public long learnableParameterCount(Graph g) {
    return TrainableTensors.of(g, this).trainableCount();
  }
}
