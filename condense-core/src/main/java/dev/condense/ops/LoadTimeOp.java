package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * An op Condense computes only at load time, from constant inputs (Cast, Range,
 * ConstantOfShape, and Constant, which has none): shape inference leaves the real type to folding.
 */
abstract class LoadTimeOp implements Op {
  private final int inputs;

  LoadTimeOp(int inputs) {
    this.inputs = inputs;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, inputs, inputs);
    return inputs == 0 ? List.of() : List.of(in.get(0)); // the real type comes from folding
  }

  @Override
  public boolean constantOnly() {
    return true;
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }
}
