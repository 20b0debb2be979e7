package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX CastLike (opset 15; 19 adds float8 types and {@code saturate}, which Condense does not
 * read): {@link Cast} to the element type of the second input, whose values are not read. Exporters
 * write it to give a constant the type of a run-time value. Condense holds every floating-point
 * value as float32, so a cast to a float type keeps the value and passes the gradient; a cast to
 * an integer or bool type folds from a constant and is refused, naming the node, on a run-time value.
 */
final class CastLike implements Op {

  @Override
  public String type() {
    return "CastLike";
  }

  @Override
  public int since() {
    return 15;
  }

  @Override
  public Kind kind() {
    return Kind.CONVERSION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    DType to = in.get(1).dtype();
    if (to.isFloat()) {
      return List.of(new ValueType(DType.FLOAT, in.get(0).shape()));
    }
    if (in.get(0).dtype() != to && constants.apply(n.input(0)) == null) {
      throw new CondenseException("node " + n.label() + ": CastLike to " + to
          + " of a run-time value is not supported (Condense computes run-time values in float32)");
    }
    return List.of(new ValueType(to, in.get(0).shape()));
  }

  /** Folds a constant float initializer too, as Cast to an integer type does (the target's values are never read). */
  @Override
  public boolean decodesWeights() {
    return true;
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return Cast.to(in.get(0), in.get(1).dtype());
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PASS_THROUGH;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.unary(n, new Cast.Rounding(DType.FLOAT));
  }
}
