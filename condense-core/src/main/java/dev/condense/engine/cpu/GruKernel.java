package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.RecurrentCell;

/**
 * ONNX GRU with its default activations (Operators.md, GRU-14; gates stacked z, r, h):
 * z = σ(xW_z + h′R_z + b), r = σ(xW_r + h′R_r + b), and the candidate
 * n = tanh(xW_h + r⊙(h′R_h + Rb_h) + Wb_h) with {@code linear_before_reset = 1} (PyTorch's form)
 * or n = tanh(xW_h + (r⊙h′)R_h + Rb_h + Wb_h) with 0; h = (1 − z)⊙n + z⊙h′.
 */
final class GruKernel extends RecurrentKernel {
  private final boolean linearBeforeReset;
  /** Per direction, [T·B, H]: h′R_h + Rb_h (linear before reset) or r⊙h′ (after it). */
  private final float[][] linear;
  /** Per direction, [T·B, G]: the gradient by h′Rᵀ + Rb (linear before reset only; else {@link #dA}). */
  private float[][] dRec;
  private float[] drh;

  GruKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out, RecurrentCell.GRU);
    linearBeforeReset = spec.linearBeforeReset();
    linear = new float[spec.directions()][rows * hidden];
  }

  @Override
  void step(Ctx ctx, int d, int t, int prevT) {
    int h = hidden;
    int off = t * batch * h;
    recur(ctx, d, hPrev[d], off, 0, linearBeforeReset ? gateRows : 2 * h, rec, 0);
    float[] x = xw[d];
    float[] a = act[d];
    float[] rb = recBias[d];
    float[] hp = hPrev[d];
    float[] lin = linear[d];
    for (int b = 0; b < batch; b++) {
      int g0 = (t * batch + b) * gateRows;
      int r0 = b * gateRows;
      for (int j = 0; j < h; j++) {
        int k = off + b * h + j;
        a[g0 + j] = sigmoid(x[g0 + j] + rec[r0 + j] + rb[j]);
        float r = sigmoid(x[g0 + h + j] + rec[r0 + h + j] + rb[h + j]);
        a[g0 + h + j] = r;
        lin[k] = linearBeforeReset ? rec[r0 + 2 * h + j] + rb[2 * h + j] : r * hp[k];
      }
    }
    if (!linearBeforeReset) {
      recur(ctx, d, lin, off, 2 * h, h, rec, 2 * h);
    }
    for (int b = 0; b < batch; b++) {
      int g0 = (t * batch + b) * gateRows;
      int r0 = b * gateRows;
      for (int j = 0; j < h; j++) {
        int k = off + b * h + j;
        float pre = linearBeforeReset ? a[g0 + h + j] * lin[k] : rec[r0 + 2 * h + j] + rb[2 * h + j];
        float n = tanh(x[g0 + 2 * h + j] + pre);
        float z = a[g0 + j];
        a[g0 + 2 * h + j] = n;
        hOut[d][k] = (1 - z) * n + z * hp[k];
      }
    }
  }

  @Override
  void stepBack(Ctx ctx, int d, int t, float[] dh, float[] dhPrev) {
    if (drh == null) {
      drh = new float[batch * hidden];
      dRec = linearBeforeReset ? new float[spec.directions()][rows * gateRows] : null;
    }
    int h = hidden;
    int off = t * batch * h;
    float[] a = act[d];
    float[] da = dA[d];
    float[] hp = hPrev[d];
    float[] lin = linear[d];
    for (int b = 0; b < batch; b++) {
      int g0 = (t * batch + b) * gateRows;
      for (int j = 0; j < h; j++) {
        int k = off + b * h + j;
        int bj = b * h + j;
        float z = a[g0 + j];
        float r = a[g0 + h + j];
        float n = a[g0 + 2 * h + j];
        float dan = dh[bj] * (1 - z) * (1 - n * n);
        da[g0 + j] = dh[bj] * (hp[k] - n) * z * (1 - z);
        da[g0 + 2 * h + j] = dan;
        dhPrev[bj] = dh[bj] * z;
        if (linearBeforeReset) {
          da[g0 + h + j] = dan * lin[k] * r * (1 - r);
          dRec[d][g0 + j] = da[g0 + j];
          dRec[d][g0 + h + j] = da[g0 + h + j];
          dRec[d][g0 + 2 * h + j] = dan * r;
        }
      }
    }
    if (linearBeforeReset) {
      backThroughR(ctx, d, dRec[d], t, 0, gateRows, 1f, dhPrev);
      return;
    }
    // (r⊙h′)R_hᵀ: its gradient by r⊙h′ first, then the reset gate's, then R_z and R_r.
    backThroughR(ctx, d, da, t, 2 * h, h, 0f, drh);
    for (int b = 0; b < batch; b++) {
      int g0 = (t * batch + b) * gateRows;
      for (int j = 0; j < h; j++) {
        int k = off + b * h + j;
        int bj = b * h + j;
        float r = a[g0 + h + j];
        da[g0 + h + j] = drh[bj] * hp[k] * r * (1 - r);
        dhPrev[bj] += drh[bj] * r;
      }
    }
    backThroughR(ctx, d, da, t, 0, 2 * h, 1f, dhPrev);
  }

  @Override
  float[] recurrentGradient(int d) {
    return linearBeforeReset ? dRec[d] : dA[d];
  }

  @Override
  void recurrentWeightGrad(Ctx ctx, int d, float beta) {
    if (linearBeforeReset) {
      super.recurrentWeightGrad(ctx, d, beta);
      return;
    }
    int h = hidden;
    int base = d * gateRows * h;
    ctx.blas.gemm(ctx.par, true, false, 2 * h, h, rows, 1f, dA[d], 0, gateRows, hPrev[d], 0, h, beta,
        in[R].grad, base, h);
    ctx.blas.gemm(ctx.par, true, false, h, h, rows, 1f, dA[d], 2 * h, gateRows, linear[d], 0, h, beta,
        in[R].grad, base + 2 * h * h, h);
  }
}
