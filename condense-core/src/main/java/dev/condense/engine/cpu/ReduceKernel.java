package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.graph.ReduceSpec;
import dev.condense.ops.Reduction;

/**
 * ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceL2, ReduceSumSquare: the map from every
 * input element to its output element is worked out once for the plan's shapes; forward is
 * {@link Reduction#forward}, the math load-time folding uses. Backward routes MAX and MIN's
 * gradient to the element that won (the first on ties), the others' through
 * {@link Reduction#backward}.
 */
final class ReduceKernel extends Kernel {
  private final Reduction reduction;
  private final int[] target;
  private final int count;
  private final int[] winner;

  ReduceKernel(Node node, Buf[] in, Buf[] out, Reduction reduction) {
    super(node, in, out);
    this.reduction = reduction;
    ReduceSpec spec = ReduceSpec.of(node, in[0].shape, this::constant);
    target = spec.target();
    count = spec.count();
    winner = reduction == Reduction.MAX || reduction == Reduction.MIN ? new int[out[0].size] : null;
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {
    reduction.forward(in[0].data, target, count, out[0].data, winner);
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    float[] dy = out[0].grad;
    if (winner != null) {
      clearGradIfFirst(0);
      float[] dx = in[0].grad;
      for (int t = 0; t < winner.length; t++) {
        dx[winner[t]] += dy[t];
      }
      return;
    }
    float[] x = in[0].data;
    float[] y = out[0].data;
    for (int i = 0; i < x.length; i++) {
      int t = target[i];
      putGrad(0, i, reduction.backward(x[i], y[t], dy[t], count));
    }
  }
}
