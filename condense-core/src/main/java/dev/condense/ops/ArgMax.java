package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.ArgMaxSpec;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX ArgMax (axis, keepdims; select_last_index from opset 12): the int64 index of the maximum along one axis. It
 * is computed forward only (an index has no gradient): as a model's output (predicted classes) or,
 * on constants, folded at load time for shape code.
 */
final class ArgMax implements Op {

  @Override
  public String type() {
    return "ArgMax";
  }

  @Override
  public int since() {
    return 1; // opset 1 to 11 read as 12 with select_last_index=0, its default
  }

  @Override
  public Kind kind() {
    return Kind.REDUCTION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    return List.of(new ValueType(DType.INT64, ArgMaxSpec.of(n, in.get(0).shape()).outShape()));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor t = in.get(0);
    ArgMaxSpec spec = ArgMaxSpec.of(n, t.shape());
    float[] y = new float[Tensor.checkedNumel(spec.outShape())];
    spec.apply(t.toFloats(), y);
    return Cast.to(Tensor.of(y, spec.outShape()), DType.INT64);
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.argMax(n);
  }
}
