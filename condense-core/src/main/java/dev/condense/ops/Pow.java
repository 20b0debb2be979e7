package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Broadcast;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * Pow (ONNX -7, NumPy broadcasting; later versions add types: the exponent may have its own
 * type, the output has the base's). x² and x^0.5 of transformer exports (LayerNorm written out)
 * and of attention scales. The engine computes floats; folds float constants.
 */
final class Pow implements Op {

  @Override
  public String type() {
    return "Pow";
  }

  @Override
  public int since() {
    return 6; // Pow-1's broadcast/axis attributes are rewritten by LegacyForms
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_BINARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    return List.of(new ValueType(in.get(0).dtype(),
        Broadcast.shape(in.get(0).shape(), in.get(1).shape(), n)));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return in.get(0).dtype() == DType.FLOAT && in.get(1).dtype() == DType.FLOAT;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return ElementwiseFold.reduce(n, in, Math::pow, x -> x, null);
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.BROADCAST;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.binary(n, BinaryMath.POW);
  }
}
