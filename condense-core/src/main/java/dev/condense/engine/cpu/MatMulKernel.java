package dev.condense.engine.cpu;

import dev.condense.graph.Broadcast;
import dev.condense.graph.Node;
import java.util.Arrays;

/**
 * MatMul with NumPy semantics: 1-D operands are promoted to matrices, leading (batch) axes
 * broadcast. A batch of inputs times one weight matrix (a Linear layer exported as MatMul) is a
 * single GEMM.
 */
final class MatMulKernel extends Kernel {
  private final int m;
  private final int k;
  private final int n;
  private final int batches;
  private final int[] batchA;
  private final int[] batchB;
  private final boolean singleGemm;

  MatMulKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    int[] a = promote(in[0].shape, true);
    int[] b = promote(in[1].shape, false);
    m = a[a.length - 2];
    k = a[a.length - 1];
    n = b[b.length - 1];
    int[] ba = Arrays.copyOf(a, a.length - 2);
    int[] bb = Arrays.copyOf(b, b.length - 2);
    int[] bs = Broadcast.shape(ba, bb, node);
    int total = 1;
    for (int d : bs) {
      total *= d;
    }
    batches = total;
    batchA = mapBatches(ba, bs);
    batchB = mapBatches(bb, bs);
    int bSize = 1;
    for (int d : bb) {
      bSize *= d;
    }
    singleGemm = bSize == 1;
  }

  private static int[] promote(int[] s, boolean left) {
    if (s.length >= 2) {
      return s;
    }
    return left ? new int[] {1, s[0]} : new int[] {s[0], 1};
  }

  private static int[] mapBatches(int[] src, int[] out) {
    return new BroadcastMap(src, out).sourceIndex();
  }

  @Override
  void forward(Ctx ctx) {
    float[] a = in[0].data;
    float[] b = in[1].data;
    float[] y = out[0].data;
    if (singleGemm) {
      ctx.blas.gemm(ctx.par, false, false, batches * m, n, k, 1f, a, 0, k, b, 0, n, 0f, y, 0, n);
      return;
    }
    for (int i = 0; i < batches; i++) {
      ctx.blas.gemm(false, false, m, n, k, 1f, a, batchA[i] * m * k, k, b, batchB[i] * k * n, n, 0f, y, i * m * n, n);
    }
  }

  @Override
  void backward(Ctx ctx) {
    float[] a = in[0].data;
    float[] b = in[1].data;
    float[] dy = out[0].grad;
    if (singleGemm) {
      if (wants(0)) {
        ctx.blas.gemm(ctx.par, false, true, batches * m, k, n, 1f, dy, 0, n, b, 0, n, accumulate[0] ? 1f : 0f, in[0].grad, 0, k);
      }
      if (wants(1)) {
        ctx.blas.gemm(ctx.par, true, false, k, n, batches * m, 1f, a, 0, k, dy, 0, n, accumulate[1] ? 1f : 0f, in[1].grad, 0, n);
      }
      return;
    }
    if (wants(0)) {
      clearGradIfFirst(0);
      for (int i = 0; i < batches; i++) {
        ctx.blas.gemm(false, true, m, k, n, 1f, dy, i * m * n, n, b, batchB[i] * k * n, n, 1f, in[0].grad, batchA[i] * m * k, k);
      }
    }
    if (wants(1)) {
      clearGradIfFirst(1);
      for (int i = 0; i < batches; i++) {
        ctx.blas.gemm(true, false, k, n, m, 1f, a, batchA[i] * m * k, k, dy, i * m * n, n, 1f, in[1].grad, batchB[i] * k * n, n);
      }
    }
  }
}
