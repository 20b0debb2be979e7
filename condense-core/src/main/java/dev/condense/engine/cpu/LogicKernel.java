package dev.condense.engine.cpu;

import dev.condense.graph.Broadcast;
import dev.condense.graph.Node;
import dev.condense.ops.Logic;

/**
 * Equal, Greater, Less, And and Not on run-time values, with broadcasting: the output is a mask
 * of float 1 (true) and 0 (false), the engine's form of a bool tensor. A mask is piecewise
 * constant in its inputs, so no gradient flows through it.
 */
final class LogicKernel extends Kernel {
  private final Logic logic;
  /** Source index per output element of each input, or null where it has the output's shape. */
  private final int[] ia;
  private final int[] ib;

  LogicKernel(Node node, Buf[] in, Buf[] out, Logic logic) {
    super(node, in, out);
    this.logic = logic;
    ia = in[0].size == out[0].size ? null : Broadcast.sourceIndex(in[0].shape, out[0].shape);
    ib = logic.unary() || in[1].size == out[0].size ? null : Broadcast.sourceIndex(in[1].shape, out[0].shape);
  }

  @Override
  boolean differentiable(int slot) {
    return false;
  }

  @Override
  void forward(Ctx ctx) {
    float[] a = in[0].data;
    float[] b = logic.unary() ? a : in[1].data;
    float[] y = out[0].data;
    for (int o = 0; o < y.length; o++) {
      y[o] = logic.test(a[ia == null ? o : ia[o]], b[ib == null ? o : ib[o]]) ? 1f : 0f;
    }
  }

  @Override
  void backward(Ctx ctx) {}
}
