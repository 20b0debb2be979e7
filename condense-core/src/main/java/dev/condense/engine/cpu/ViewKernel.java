package dev.condense.engine.cpu;

import dev.condense.graph.Node;

/**
 * Reshape, Flatten, Identity and inference-time Dropout: the output is the input's data under
 * another shape. The plan makes the output share the input's arrays (data and gradient), so
 * there is nothing to compute either way.
 */
final class ViewKernel extends Kernel {
  ViewKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {}

  @Override
  void backward(Ctx ctx) {}
}
