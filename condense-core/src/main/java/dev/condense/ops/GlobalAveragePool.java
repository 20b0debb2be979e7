package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireRank;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** ONNX GlobalAveragePool: the mean of every channel's plane, N×C×H×W to N×C×1×1. */
final class GlobalAveragePool implements Op {

  @Override
  public String type() {
    return "GlobalAveragePool";
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public IntegerForm integerForm() {
    return IntegerForm.REQUANTIZED; // QLinearGlobalAveragePool
  }

  @Override
  public Kind kind() {
    return Kind.REDUCTION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    int[] s = in.get(0).shape();
    requireRank(n, s, 3, 5);
    for (int i = 2; i < s.length; i++) {
      s[i] = 1;
    }
    return List.of(new ValueType(in.get(0).dtype(), s));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PASS_THROUGH;
  }

  @Override
  public DoubleUnaryOperator onConstant(Node n) {
    return DoubleUnaryOperator.identity();
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.globalAveragePool(n);
  }
}
