package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** The simple activations: Relu, LeakyRelu (attribute alpha, default 0.01), Sigmoid and Tanh. */
final class Activations implements Op {
  static final Activations RELU = new Activations("Relu", Activation.RELU);
  static final Activations LEAKY_RELU = new Activations("LeakyRelu", Activation.LEAKY_RELU);
  static final Activations SIGMOID = new Activations("Sigmoid", Activation.SIGMOID);
  static final Activations TANH = new Activations("Tanh", Activation.TANH);

  private final String type;
  private final Activation activation;

  private Activations(String type, Activation activation) {
    this.type = type;
    this.activation = activation;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return 6;
  }

  @Override
  public IntegerForm integerForm() {
    return activation == Activation.RELU ? IntegerForm.ABSORBED
        : activation == Activation.TANH ? IntegerForm.NONE : IntegerForm.REQUANTIZED; // QLinearLeakyRelu, QLinearSigmoid
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_UNARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    return List.of(in.get(0));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PASS_THROUGH;
  }

  @Override
  public DoubleUnaryOperator onConstant(Node n) {
    return switch (activation) {
      case RELU -> c -> Math.max(0, c);
      case LEAKY_RELU -> {
        float alpha = n.floatAttr("alpha", 0.01f);
        yield c -> c >= 0 ? c : alpha * c;
      }
      case SIGMOID -> c -> 1 / (1 + Math.exp(-c));
      case TANH -> Math::tanh;
      case CLIP -> null;
    };
  }

  @Override
  public boolean zeroesNegatives() {
    return activation == Activation.RELU;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.activation(n, activation);
  }
}
