package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireSameType;

import dev.condense.CondenseException;
import dev.condense.graph.Broadcast;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * PRelu (ONNX -7: the slope broadcasts unidirectionally to X): x for x &gt; 0, slope · x
 * otherwise. The slope is a learned parameter; PyTorch exports nn.PReLU(C) on images as shape
 * [C, 1, 1] (one per channel), on vectors as [C], and nn.PReLU() as [1]. Its channel rule is
 * {@link ChannelRule#BROADCAST}: a per-channel slope is sliced with the channels it scales, a
 * single slope passes them, and a computed slope pins them.
 */
final class PRelu implements Op {

  @Override
  public String type() {
    return "PRelu";
  }

  /** Its the slope are learned parameters. */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot == 1;
  }

  @Override
  public int since() {
    return 6; // PRelu-6's per-channel slope is reshaped for -7's broadcasting (LegacyForms)
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_UNARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    requireSameType(n, in.get(0), in.get(1));
    int[] x = in.get(0).shape();
    if (!Arrays.equals(Broadcast.shape(x, in.get(1).shape(), n), x)) {
      throw new CondenseException("node " + n.label() + ": PRelu slope of shape " + Arrays.toString(in.get(1).shape())
          + " does not broadcast to the input's shape " + Arrays.toString(x));
    }
    return List.of(in.get(0));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return in.get(0).dtype() == DType.FLOAT;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return ElementwiseFold.reduce(n, in, (x, slope) -> x > 0 ? x : slope * x, x -> x, null);
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.BROADCAST;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.binary(n, BinaryMath.PRELU);
  }
}
