package dev.condense.ops;

import dev.condense.graph.Node;
import java.util.function.DoubleUnaryOperator;

/**
 * An op whose output is its first input's data under another shape (Identity, Flatten,
 * Reshape): a view in the engine, and a constant channel passes it unchanged.
 */
abstract class ViewOp implements Op {

  @Override
  public IntegerForm integerForm() {
    return IntegerForm.SAME_SCALE; // the runtime drops the QDQ around Reshape, Flatten, Squeeze, Unsqueeze
  }

  @Override
  public Kind kind() {
    return Kind.VIEW;
  }

  @Override
  public DoubleUnaryOperator onConstant(Node n) {
    return DoubleUnaryOperator.identity();
  }

  @Override
  public boolean isView(boolean training) {
    return true;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.view(n);
  }

  /** Token ids pass it unchanged (data input only). */
  @Override
  public boolean carriesIndices(int slot) {
    return slot == 0;
  }
}
