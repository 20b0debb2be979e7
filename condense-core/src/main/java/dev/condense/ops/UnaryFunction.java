package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * An element-wise op defined by one real function of its input and the node's attributes
 * ({@link ScalarFunction}): the element-wise math ops ({@link MathFunctions}) and the smooth
 * activations ({@link SmoothActivations}). The engine runs it through {@link EngineKernels#unary};
 * it folds on constants, passes channels, and maps a dead unit's constant through its function.
 */
final class UnaryFunction implements Op {
  private final String type;
  private final int since;
  private final Function<Node, ScalarFunction> math;
  /** The op on integer tensors (shape arithmetic), or null where ONNX defines it for floats only. */
  private final LongUnaryOperator integer;

  UnaryFunction(String type, int since, Function<Node, ScalarFunction> math, LongUnaryOperator integer) {
    this.type = type;
    this.since = since;
    this.math = math;
    this.integer = integer;
  }

  /** An op without attributes: f and f'(x, y). */
  static UnaryFunction of(String type, int since, DoubleUnaryOperator f, ScalarFunction.Derivative d) {
    ScalarFunction s = new ScalarFunction(f, d);
    return new UnaryFunction(type, since, n -> s, null);
  }

  /** This op, also defined on integer tensors by {@code g}. */
  UnaryFunction onIntegers(LongUnaryOperator g) {
    return new UnaryFunction(type, since, math, g);
  }

  /** The node's function, its attributes read (and checked, errors naming the node). */
  ScalarFunction math(Node n) {
    return math.apply(n);
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return since;
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_UNARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    math(n);
    return List.of(in.get(0));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return in.get(0).dtype() == DType.FLOAT || integer != null;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return ElementwiseFold.map(in.get(0), math(n).value(), integer);
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PASS_THROUGH;
  }

  @Override
  public DoubleUnaryOperator onConstant(Node n) {
    return math(n).value();
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.unary(n, math(n));
  }
}
