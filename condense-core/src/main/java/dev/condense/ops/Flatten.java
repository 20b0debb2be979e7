package dev.condense.ops;

import static dev.condense.ops.NodeChecks.axisInclusive;
import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** ONNX Flatten: the dims before {@code axis} (default 1) and those from it become two (a view). */
final class Flatten extends ViewOp {

  @Override
  public String type() {
    return "Flatten";
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    int[] s = in.get(0).shape();
    int ax = axisInclusive(n, n.intAttr("axis", 1), s.length);
    long outer = Tensor.numel(Arrays.copyOfRange(s, 0, ax));
    long inner = Tensor.numel(Arrays.copyOfRange(s, ax, s.length));
    return List.of(new ValueType(in.get(0).dtype(), new int[] {(int) outer, (int) inner}));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.FLATTEN;
  }
}
