package dev.condense.engine.cpu;

import dev.condense.graph.Node;

/**
 * ONNX Gemm: Y = alpha·op(A)·op(B) + beta·C, with C broadcast to M×N. The fully connected layer
 * of every exported classifier (PyTorch writes B as [out, in] with transB = 1).
 */
final class GemmKernel extends Kernel {
  private final boolean ta;
  private final boolean tb;
  private final float alpha;
  private final float beta;
  private final int rows;
  private final int cols;
  private final int inner;
  private final BroadcastMap cMap;

  GemmKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    ta = node.intAttr("transA", 0) != 0;
    tb = node.intAttr("transB", 0) != 0;
    alpha = node.floatAttr("alpha", 1f);
    beta = node.floatAttr("beta", 1f);
    rows = out[0].dim(0);
    cols = out[0].dim(1);
    inner = ta ? in[0].dim(0) : in[0].dim(1);
    cMap = in.length > 2 && in[2] != null ? new BroadcastMap(in[2].shape, out[0].shape) : null;
  }

  private int lda() {
    return ta ? rows : inner;
  }

  private int ldb() {
    return tb ? inner : cols;
  }

  @Override
  void forward(Ctx ctx) {
    float[] y = out[0].data;
    float b0 = 0f;
    if (cMap != null && beta != 0f) {
      cMap.expand(in[2].data, beta, y);
      b0 = 1f;
    }
    ctx.blas.gemm(ctx.par, ta, tb, rows, cols, inner, alpha, in[0].data, 0, lda(), in[1].data, 0, ldb(), b0, y, 0, cols);
  }

  @Override
  void backward(Ctx ctx) {
    float[] dy = out[0].grad;
    if (wants(0)) {
      float acc = accumulate[0] ? 1f : 0f;
      if (!ta) { // dA[M×K] = alpha·dY·op(B)ᵀ
        ctx.blas.gemm(ctx.par, false, !tb, rows, inner, cols, alpha, dy, 0, cols, in[1].data, 0, ldb(), acc, in[0].grad, 0, inner);
      } else { // A is K×M: dA = alpha·op(B)·dYᵀ
        ctx.blas.gemm(ctx.par, tb, true, inner, rows, cols, alpha, in[1].data, 0, ldb(), dy, 0, cols, acc, in[0].grad, 0, rows);
      }
    }
    if (wants(1)) {
      float acc = accumulate[1] ? 1f : 0f;
      if (!tb) { // B is K×N: dB = alpha·op(A)ᵀ·dY
        ctx.blas.gemm(ctx.par, !ta, false, inner, cols, rows, alpha, in[0].data, 0, lda(), dy, 0, cols, acc, in[1].grad, 0, cols);
      } else { // B is N×K: dB = alpha·dYᵀ·op(A)
        ctx.blas.gemm(ctx.par, true, ta, cols, inner, rows, alpha, dy, 0, cols, in[0].data, 0, lda(), acc, in[1].grad, 0, inner);
      }
    }
    if (wants(2)) {
      clearGradIfFirst(2);
      cMap.reduce(dy, beta, in[2].grad);
    }
  }
}
