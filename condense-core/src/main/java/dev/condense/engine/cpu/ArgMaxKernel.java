package dev.condense.engine.cpu;

import dev.condense.graph.ArgMaxSpec;
import dev.condense.graph.Node;

/**
 * ArgMax, forward only: the index of each row's maximum, held as a float in the engine (exact up
 * to 2^24) and handed out as int64 ({@link Buf#value}). No gradient flows through an index.
 */
final class ArgMaxKernel extends Kernel {
  private final ArgMaxSpec spec;

  ArgMaxKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    spec = ArgMaxSpec.of(node, in[0].shape);
  }

  @Override
  boolean differentiable(int slot) {
    return false;
  }

  @Override
  void forward(Ctx ctx) {
    spec.apply(in[0].data, out[0].data);
  }

  @Override
  void backward(Ctx ctx) {
    // An index has no gradient; differentiable() keeps this kernel out of the backward pass.
  }
}
