package dev.condense.ops;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * An op defined by its {@link ElementMap} (Transpose, Gather): it folds constants by that map
 * (also constant float weights, which it decodes) and runs on run-time values with the engine's
 * element-copy kernel, so both compute the same op.
 */
abstract class CopyOp implements Op, ElementMap {

  @Override
  public IntegerForm integerForm() {
    return IntegerForm.SAME_SCALE; // the runtime drops the QDQ around Transpose and Gather
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

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
    List<ValueType> types = new ArrayList<>();
    for (Tensor t : in) {
      types.add(new ValueType(t.dtype(), t.shape()));
    }
    java.util.function.Function<String, Tensor> constants = name -> in.get(n.inputs().indexOf(name));
    int[] os = infer(n, types, constants).get(0).shape();
    return Elements.take(in.get(0), sources(n, in.get(0).shape(), constants), os);
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.elementCopy(n, this);
  }
}
