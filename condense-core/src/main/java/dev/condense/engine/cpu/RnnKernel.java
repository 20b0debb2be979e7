package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.RecurrentCell;

/** ONNX RNN with its default activation (Operators.md, RNN-14): h = tanh(xWᵀ + h′Rᵀ + Wb + Rb). */
final class RnnKernel extends RecurrentKernel {

  RnnKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out, RecurrentCell.RNN);
  }

  @Override
  void step(Ctx ctx, int d, int t, int prevT) {
    int off = t * batch * hidden;
    recur(ctx, d, hPrev[d], off, 0, hidden, rec, 0);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int k = off + b * hidden + j;
        float v = tanh(xw[d][k] + rec[b * hidden + j] + recBias[d][j]);
        act[d][k] = v;
        hOut[d][k] = v;
      }
    }
  }

  @Override
  void stepBack(Ctx ctx, int d, int t, float[] dh, float[] dhPrev) {
    int off = t * batch * hidden;
    for (int i = 0; i < batch * hidden; i++) {
      float v = act[d][off + i];
      dA[d][off + i] = dh[i] * (1 - v * v);
    }
    backThroughR(ctx, d, dA[d], t, 0, hidden, 0f, dhPrev);
  }
}
