package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requirePerChannel;
import static dev.condense.ops.NodeChecks.requireRank;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX BatchNormalization: X, scale, bias, running mean, running variance; in training mode also
 * the updated statistics as outputs. The statistics are buffers, not learned parameters.
 */
final class BatchNormalization implements Op {

  @Override
  public String type() {
    return "BatchNormalization";
  }

  @Override
  public int since() {
    return 6; // -6 to -7 (is_test, spatial, training outputs) are rewritten to -9 by LegacyForms
  }

  @Override
  public Kind kind() {
    return Kind.NORMALIZATION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 5, 5);
    int[] x = in.get(0).shape();
    requireRank(n, x, 2, 5);
    requirePerChannel(n, in, 1, 4);
    List<ValueType> out = new ArrayList<>();
    out.add(in.get(0));
    if (n.intAttr("training_mode", 0) != 0) {
      out.add(in.get(3));
      out.add(in.get(4));
    }
    return out;
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PER_CHANNEL;
  }

  /** Scale and B, the learned affine part; not the running mean and variance. */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot == 1 || slot == 2;
  }

  @Override
  public boolean isStatistic(int slot) {
    return slot == 3 || slot == 4;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.batchNormalization(n);
  }
}
