package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireSameType;

import dev.condense.CondenseException;
import dev.condense.graph.Broadcast;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;

/**
 * Sum, Mean, Max and Min: one or more inputs combined element by element with NumPy
 * broadcasting (ONNX -8, which introduced the broadcasting; -12 and -13 only add types). They
 * fold on constants, integer ones too (Max/Min/Sum of shape values); Mean is float only.
 */
final class Variadic implements Op {
  static final Variadic SUM = new Variadic("Sum", VariadicMath.SUM);
  static final Variadic MEAN = new Variadic("Mean", VariadicMath.MEAN);
  static final Variadic MAX = new Variadic("Max", VariadicMath.MAX);
  static final Variadic MIN = new Variadic("Min", VariadicMath.MIN);

  private final String type;
  private final VariadicMath math;

  private Variadic(String type, VariadicMath math) {
    this.type = type;
    this.math = math;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return 6; // -6 required equal shapes, a case of -8's multidirectional broadcasting
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_BINARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, Integer.MAX_VALUE);
    int[] shape = in.get(0).shape();
    for (ValueType t : in) {
      if (t == null) {
        throw new CondenseException("node " + n.label() + ": " + type + " has an empty input name; its inputs are not optional");
      }
      requireSameType(n, in.get(0), t);
      shape = Broadcast.shape(shape, t.shape(), n);
    }
    return List.of(new ValueType(in.get(0).dtype(), shape));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return ElementwiseFold.sameType(in, math != VariadicMath.MEAN);
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    DoubleBinaryOperator f = switch (math) {
      case SUM, MEAN -> Double::sum;
      case MAX -> Math::max;
      case MIN -> Math::min;
    };
    LongBinaryOperator g = switch (math) {
      case SUM, MEAN -> Long::sum;
      case MAX -> Math::max;
      case MIN -> Math::min;
    };
    int count = in.size();
    DoubleUnaryOperator finish = math == VariadicMath.MEAN ? s -> s / count : s -> s;
    return ElementwiseFold.reduce(n, in, f, finish, g);
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.BROADCAST;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.variadic(n, math);
  }
}
