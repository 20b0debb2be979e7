package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.numeric.CsrMatrix;

/**
 * Gemm with a pruned constant weight, for inference of compressed models: the weight is held in
 * CSR (with its codebook when quantized) and only the non-zeros are multiplied — Deep
 * Compression's sparse fully connected layer (§6). One sample is a sparse matrix–vector product;
 * a batch is transposed so the inner loop runs over the batch.
 */
final class SparseGemmKernel extends Kernel {
  private final CsrMatrix w;
  private final float alpha;
  private final float beta;
  private final int batch;
  private final int inFeatures;
  private final int outs;
  private final BroadcastMap cMap;
  private float[] xt;
  private float[] yt;

  SparseGemmKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    boolean transB = node.intAttr("transB", 0) != 0;
    int[] ws = in[1].shape;
    float[] data = in[1].data;
    if (!transB) {
      data = transpose(data, ws[0], ws[1]);
    }
    this.outs = transB ? ws[0] : ws[1];
    this.inFeatures = transB ? ws[1] : ws[0];
    this.w = CsrMatrix.of(data, outs, this.inFeatures, dev.condense.graph.CompressionState.distinctNonZero(data, 65_535));
    this.alpha = node.floatAttr("alpha", 1f);
    this.beta = node.floatAttr("beta", 1f);
    this.batch = out[0].dim(0);
    this.cMap = in.length > 2 && in[2] != null ? new BroadcastMap(in[2].shape, out[0].shape) : null;
  }

  /** Whether a Gemm node's weight is worth running sparse: constant, 2-D, at most half non-zero. */
  static boolean worthIt(Node node, Buf[] in) {
    if (node.intAttr("transA", 0) != 0 || in[1] == null || in[1].data == null || in[1].rank() != 2
        || in[1].constant == null) {
      return false;
    }
    long nz = 0;
    for (float v : in[1].data) {
      nz += v != 0f ? 1 : 0;
    }
    return nz * 2 <= in[1].data.length;
  }

  private static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    if (batch == 1) {
      ctx.par.forRange(outs, w.nonzeros() / Math.max(1, outs) + 1, (r0, r1) -> w.multiplyVector(x, 0, y, 0, r0, r1));
    } else {
      if (xt == null) {
        xt = new float[inFeatures * batch];
        yt = new float[outs * batch];
      }
      for (int b = 0; b < batch; b++) {
        for (int k = 0; k < inFeatures; k++) {
          xt[k * batch + b] = x[b * inFeatures + k];
        }
      }
      ctx.par.forRange(outs, (long) batch * (w.nonzeros() / Math.max(1, outs) + 1),
          (r0, r1) -> w.multiplyBatch(xt, yt, batch, r0, r1));
      for (int b = 0; b < batch; b++) {
        for (int r = 0; r < outs; r++) {
          y[b * outs + r] = yt[r * batch + b];
        }
      }
    }
    if (alpha != 1f) {
      for (int i = 0; i < y.length; i++) {
        y[i] *= alpha;
      }
    }
    if (cMap != null && beta != 0f) {
      float[] c = new float[y.length];
      cMap.expand(in[2].data, beta, c);
      for (int i = 0; i < y.length; i++) {
        y[i] += c[i];
      }
    }
  }

  @Override
  void backward(Ctx ctx) {
    throw new IllegalStateException("sparse Gemm is for inference only");
  }
}
