package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.RecurrentCell;
import java.util.Arrays;

/**
 * ONNX LSTM with its default activations (Operators.md, LSTM-14; gates stacked i, o, f, c):
 * i = σ(xWᵢ + hRᵢ + Pᵢ⊙c′ + b), f = σ(xW_f + hR_f + P_f⊙c′ + b), g = tanh(xW_c + hR_c + b),
 * c = f⊙c′ + i⊙g, o = σ(xW_o + hR_o + P_o⊙c + b), h = o⊙tanh(c); backward through time with the
 * cell-state gradient carried from step to step.
 */
final class LstmKernel extends RecurrentKernel {
  private static final int C0 = 6;
  private static final int PEEPHOLES = 7;

  /** Per direction, [T·B, H]: the cell state entering time t and after it. */
  private final float[][] cPrev;
  private final float[][] cOut;
  private float[] dc;
  private float[] dP;

  LstmKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out, RecurrentCell.LSTM);
    cPrev = new float[spec.directions()][rows * hidden];
    cOut = new float[spec.directions()][rows * hidden];
  }

  @Override
  void step(Ctx ctx, int d, int t, int prevT) {
    int h = hidden;
    int off = t * batch * h;
    if (prevT < 0) {
      loadState(C0, d, cPrev[d], off);
    } else {
      System.arraycopy(cOut[d], prevT * batch * h, cPrev[d], off, batch * h);
    }
    recur(ctx, d, hPrev[d], off, 0, gateRows, rec, 0);
    Buf pb = input(PEEPHOLES);
    float[] p = pb == null ? null : pb.data;
    int po = d * 3 * h;
    float[] x = xw[d];
    float[] a = act[d];
    float[] rb = recBias[d];
    float[] cp = cPrev[d];
    for (int b = 0; b < batch; b++) {
      int g0 = (t * batch + b) * gateRows;
      int r0 = b * gateRows;
      for (int j = 0; j < h; j++) {
        int k = off + b * h + j;
        float c0 = cp[k];
        float i = sigmoid(x[g0 + j] + rec[r0 + j] + rb[j] + (p == null ? 0f : p[po + j] * c0));
        float f = sigmoid(x[g0 + 2 * h + j] + rec[r0 + 2 * h + j] + rb[2 * h + j] + (p == null ? 0f : p[po + 2 * h + j] * c0));
        float g = tanh(x[g0 + 3 * h + j] + rec[r0 + 3 * h + j] + rb[3 * h + j]);
        float c = f * c0 + i * g;
        float o = sigmoid(x[g0 + h + j] + rec[r0 + h + j] + rb[h + j] + (p == null ? 0f : p[po + h + j] * c));
        a[g0 + j] = i;
        a[g0 + h + j] = o;
        a[g0 + 2 * h + j] = f;
        a[g0 + 3 * h + j] = g;
        cOut[d][k] = c;
        hOut[d][k] = o * tanh(c);
      }
    }
  }

  @Override
  void finish(int d) {
    storeLast(2, d, cOut[d]);
  }

  @Override
  void beginBackward(int d) {
    if (dc == null) {
      dc = new float[batch * hidden];
      dP = new float[3 * hidden];
    }
    float[] dYc = outputGrad(2);
    for (int b = 0; b < batch; b++) {
      if (dYc == null) {
        Arrays.fill(dc, b * hidden, (b + 1) * hidden, 0f);
      } else {
        System.arraycopy(dYc, spec.stateOffset(d, b), dc, b * hidden, hidden);
      }
    }
    Arrays.fill(dP, 0f);
  }

  @Override
  void stepBack(Ctx ctx, int d, int t, float[] dh, float[] dhPrev) {
    int h = hidden;
    int off = t * batch * h;
    Buf pb = input(PEEPHOLES);
    float[] p = pb == null ? null : pb.data;
    int po = d * 3 * h;
    float[] a = act[d];
    float[] da = dA[d];
    for (int b = 0; b < batch; b++) {
      int g0 = (t * batch + b) * gateRows;
      for (int j = 0; j < h; j++) {
        int k = off + b * h + j;
        int bj = b * h + j;
        float i = a[g0 + j];
        float o = a[g0 + h + j];
        float f = a[g0 + 2 * h + j];
        float g = a[g0 + 3 * h + j];
        float c = cOut[d][k];
        float c0 = cPrev[d][k];
        float tc = tanh(c);
        float dao = dh[bj] * tc * o * (1 - o);
        float dct = dc[bj] + dh[bj] * o * (1 - tc * tc) + (p == null ? 0f : dao * p[po + h + j]);
        float dai = dct * g * i * (1 - i);
        float dag = dct * i * (1 - g * g);
        float daf = dct * c0 * f * (1 - f);
        dc[bj] = dct * f + (p == null ? 0f : dai * p[po + j] + daf * p[po + 2 * h + j]);
        da[g0 + j] = dai;
        da[g0 + h + j] = dao;
        da[g0 + 2 * h + j] = daf;
        da[g0 + 3 * h + j] = dag;
        dP[j] += dai * c0;
        dP[h + j] += dao * c;
        dP[2 * h + j] += daf * c0;
      }
    }
    backThroughR(ctx, d, da, t, 0, gateRows, 0f, dhPrev);
  }

  @Override
  void endBackward(int d) {
    putStateGrad(C0, d, dc);
    if (wants(PEEPHOLES)) {
      for (int j = 0; j < 3 * hidden; j++) {
        putGrad(PEEPHOLES, d * 3 * hidden + j, dP[j]);
      }
    }
  }
}
