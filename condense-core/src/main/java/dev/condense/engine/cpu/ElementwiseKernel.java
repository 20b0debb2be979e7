package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.UnaryMath;

/**
 * An element-wise function the engine has no specialised loop for, run by its op's
 * {@link UnaryMath}: a new activation needs no engine code. The built-in activations keep their
 * own loops ({@link UnaryKernel}).
 */
final class ElementwiseKernel extends Kernel {
  private final UnaryMath math;

  ElementwiseKernel(Node node, Buf[] in, Buf[] out, UnaryMath math) {
    super(node, in, out);
    this.math = math;
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    ctx.par.forRange(x.length == 0 ? 0 : out[0].size, 4, (from, to) -> {
      for (int i = from; i < to; i++) {
        y[i] = math.forward(x[i]);
      }
    });
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    float[] x = in[0].data;
    float[] y = out[0].data;
    float[] dy = out[0].grad;
    float[] dx = in[0].grad;
    boolean acc = accumulate[0];
    ctx.par.forRange(out[0].size, 2, (from, to) -> {
      for (int i = from; i < to; i++) {
        float g = math.backward(x[i], y[i], dy[i]);
        dx[i] = acc ? dx[i] + g : g;
      }
    });
  }
}
