package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Axis;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/** ONNX Softmax at opset 13+ (along one axis; before 13 it flattened its input, which Condense refuses). */
final class Softmax implements Op {

  @Override
  public String type() {
    return "Softmax";
  }

  @Override
  public int since() {
    return 13;
  }

  @Override
  public Kind kind() {
    return Kind.DISTRIBUTION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    Axis.of(n, n.intAttr("axis", -1), in.get(0).rank());
    return List.of(in.get(0));
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.softmax(n);
  }
}
