package dev.condense.engine.cpu;

import dev.condense.graph.Broadcast;
import dev.condense.graph.Node;

/**
 * Where on run-time values: each output element is X's where the mask is set, else Y's, all
 * three broadcast to the output. Backward sends each output gradient to the input its element
 * came from (summed over broadcast axes); the mask gets none.
 */
final class WhereKernel extends Kernel {
  /** Per input slot (mask, X, Y), the source index of every output element. */
  private final int[][] src = new int[3][];

  WhereKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    for (int s = 0; s < 3; s++) {
      src[s] = Broadcast.sourceIndex(in[s].shape, out[0].shape);
    }
  }

  @Override
  boolean differentiable(int slot) {
    return slot != 0;
  }

  @Override
  void forward(Ctx ctx) {
    float[] c = in[0].data;
    float[] x = in[1].data;
    float[] z = in[2].data;
    float[] y = out[0].data;
    for (int o = 0; o < y.length; o++) {
      y[o] = c[src[0][o]] != 0 ? x[src[1][o]] : z[src[2][o]];
    }
  }

  @Override
  void backward(Ctx ctx) {
    float[] c = in[0].data;
    float[] dy = out[0].grad;
    for (int slot = 1; slot <= 2; slot++) {
      if (!wants(slot)) {
        continue;
      }
      clearGradIfFirst(slot);
      float[] d = in[slot].grad;
      boolean taken = slot == 1;
      for (int o = 0; o < dy.length; o++) {
        if ((c[src[0][o]] != 0) == taken) {
          d[src[slot][o]] += dy[o];
        }
      }
    }
  }
}
