package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireSameType;

import dev.condense.graph.Broadcast;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Add, Sub, Mul and Div with NumPy broadcasting (residual adds, biases, scales). Constants fold at
 * load time: shape arithmetic, float values computed at load (swin's shifted-window attention mask)
 * and residual quantization's decoded stages; a float weight stays a weight ({@link ShapeInference}).
 */
public final class Arithmetic implements Op {
  static final Arithmetic ADD = new Arithmetic("Add", BinaryMath.ADD);
  static final Arithmetic SUB = new Arithmetic("Sub", BinaryMath.SUB);
  static final Arithmetic MUL = new Arithmetic("Mul", BinaryMath.MUL);
  static final Arithmetic DIV = new Arithmetic("Div", BinaryMath.DIV);

  private final String type;
  private final BinaryMath math;

  private Arithmetic(String type, BinaryMath math) {
    this.type = type;
    this.math = math;
  }

  /** The arithmetic this op does. */
  public BinaryMath math() {
    return math;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return 6; // -6 and -1 differ only by broadcast/axis/consumed_inputs, rewritten by LegacyForms; -7 is numpy broadcasting
  }

  @Override
  public IntegerForm integerForm() {
    return math == BinaryMath.ADD || math == BinaryMath.MUL ? IntegerForm.REQUANTIZED : IntegerForm.NONE; // QLinearAdd, QLinearMul
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_BINARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    return List.of(broadcast(n, in));
  }

  /** The type of two same-typed inputs combined element by element with NumPy broadcasting (Mod's too). */
  static ValueType broadcast(Node n, List<ValueType> in) {
    requireInputs(n, in, 2, 2);
    requireSameType(n, in.get(0), in.get(1));
    return new ValueType(in.get(0).dtype(), Broadcast.shape(in.get(0).shape(), in.get(1).shape(), n));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    // Shape arithmetic (c // groups, size + 1); float constants computed at load (swin's attention
    // mask, a difference of window labels), and residual quantization's stages stored as an Add of
    // float initializers. ShapeInference folds no other float weight.
    return in.get(0).dtype() == in.get(1).dtype();
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    if (in.get(0).dtype() != DType.FLOAT) {
      return IntegerArithmetic.fold(n, math, in.get(0), in.get(1));
    }
    DoubleBinaryOperator f = switch (math) {
      case ADD -> (x, y) -> x + y;
      case SUB -> (x, y) -> x - y;
      case MUL -> (x, y) -> x * y;
      case DIV -> (x, y) -> x / y;
      default -> throw new IllegalStateException(math.name());
    };
    // In double, rounded once: the float32 result the engine computes for the same node at run time.
    return ElementwiseFold.reduce(n, in, f, DoubleUnaryOperator.identity(), (p, q) -> {
      throw new IllegalStateException("integers fold in IntegerArithmetic");
    });
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.BROADCAST;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.binary(n, math);
  }
}
