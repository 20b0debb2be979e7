package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requirePerChannel;
import static dev.condense.ops.NodeChecks.requireRank;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX InstanceNormalization (opset 6): every channel of every sample is standardised over its
 * spatial elements, then scaled and shifted by the learned per-channel scale and B. It keeps no
 * running statistics, so channels prune like BatchNormalization's (scale and B sliced with them).
 */
final class InstanceNormalization implements Op {

  @Override
  public String type() {
    return "InstanceNormalization";
  }

  /** Its scale and B are learned parameters. */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot == 1 || slot == 2;
  }

  @Override
  public int since() {
    return 6;
  }

  @Override
  public Kind kind() {
    return Kind.STANDARDIZATION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 3, 3);
    int[] x = in.get(0).shape();
    requireRank(n, x, 3, 8);
    requirePerChannel(n, in, 1, 2);
    return List.of(in.get(0));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PER_CHANNEL;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.instanceNormalization(n);
  }
}
