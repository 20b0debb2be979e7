package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Node;
import dev.condense.graph.SplitSpec;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Split (opsets 2-18: {@code split} as attribute or input, {@code num_outputs};
 * {@link SplitSpec}): cuts its input into consecutive parts along one axis, one per output.
 * PyTorch's {@code torch.chunk} and {@code torch.split}. Channel analysis follows each layer's
 * channels into the part that holds them ({@link ChannelRule#SPLIT}).
 */
final class Split implements Op {

  @Override
  public String type() {
    return "Split";
  }

  @Override
  public int since() {
    return 2;
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 2);
    int[] x = in.get(0).shape();
    SplitSpec spec = SplitSpec.of(n, x, constants);
    List<ValueType> out = new ArrayList<>();
    for (int i = 0; i < spec.sizes().length; i++) {
      out.add(new ValueType(in.get(0).dtype(), spec.partShape(x, i)));
    }
    return out;
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.SPLIT;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.split(n);
  }
}
