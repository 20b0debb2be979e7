package dev.condense.engine.cpu;

import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Node;
import java.util.Arrays;

/**
 * Conv (1-D and 2-D, grouped, strided, dilated, padded) as im2col + GEMM, Caffe's scheme: a
 * chunk of images is unfolded into a K×(images·P) matrix (K = C/g·kh·kw, P = output pixels),
 * multiplied by the M/g×K weights, and scattered into NCHW. Backward: dW = dY·colᵀ and
 * dcol = Wᵀ·dY folded back by col2im. During training the unfolded input is kept for backward
 * when it fits the cache limit, else recomputed.
 */
final class ConvKernel extends Kernel {
  /** Floats of unfolded input per GEMM call (chunks of images are sized to this). */
  private static final int CHUNK_FLOATS = 4 << 20;
  /** Floats of unfolded input kept between forward and backward per layer. */
  private static final long CACHE_FLOATS = 24L << 20;

  private final Window2d win;
  private final int n;
  private final int c;
  private final int m;
  private final int group;
  private final int cg;
  private final int mg;
  private final int k;
  private final int p;
  private final int chunk;
  private float[] col;
  private float[] tmp;
  private float[] dcol;
  private float[] colCache;
  private boolean cached;

  ConvKernel(Node node, Buf[] in, Buf[] out, ConvGeometry geometry) {
    super(node, in, out);
    win = Window2d.of(geometry);
    n = in[0].dim(0);
    c = in[0].dim(1);
    m = in[1].dim(0);
    group = (int) node.intAttr("group", 1);
    cg = c / group;
    mg = m / group;
    k = cg * win.kernelSize();
    p = win.outPlane();
    chunk = Math.max(1, Math.min(n, CHUNK_FLOATS / Math.max(1, k * p)));
  }

  private float[] workspace(float[] a, int size) {
    return a != null && a.length >= size ? a : new float[size];
  }

  private boolean useCache(Ctx ctx) {
    return ctx.training && wants(1) && (long) group * k * n * p <= CACHE_FLOATS;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] w = in[1].data;
    float[] bias = in.length > 2 && in[2] != null ? in[2].data : null;
    float[] y = out[0].data;
    cached = useCache(ctx);
    if (cached) {
      colCache = workspace(colCache, group * k * n * p);
    } else {
      col = workspace(col, k * chunk * p);
    }
    if (chunk > 1) {
      tmp = workspace(tmp, mg * chunk * p);
    }
    int hw = win.inPlane();
    for (int s = 0; s < n; s += chunk) {
      int nb = Math.min(chunk, n - s);
      int cols = nb * p;
      int start = s;
      for (int g = 0; g < group; g++) {
        float[] cb = cached ? colCache : col;
        int cOff = cached ? cacheOffset(s, nb, g) : 0;
        int xg = g * cg;
        ctx.par.forRange(nb, (long) k * p, (b0, b1) -> {
          for (int b = b0; b < b1; b++) {
            win.im2col(x, ((start + b) * c + xg) * hw, cg, cb, cOff + b * p, cols);
          }
        });
        if (nb == 1) {
          int yOff = (s * m + g * mg) * p;
          ctx.blas.gemm(ctx.par, false, false, mg, p, k, 1f, w, g * mg * k, k, cb, cOff, p, 0f, y, yOff, p);
          if (bias != null) {
            for (int j = 0; j < mg; j++) {
              float bj = bias[g * mg + j];
              for (int q = yOff + j * p, e = q + p; q < e; q++) {
                y[q] += bj;
              }
            }
          }
          continue;
        }
        ctx.blas.gemm(ctx.par, false, false, mg, cols, k, 1f, w, g * mg * k, k, cb, cOff, cols, 0f, tmp, 0, cols);
        int mg0 = g * mg;
        ctx.par.forRange(nb, (long) mg * p, (b0, b1) -> {
          for (int b = b0; b < b1; b++) {
            for (int j = 0; j < mg; j++) {
              int dst = ((start + b) * m + mg0 + j) * p;
              int src = j * cols + b * p;
              float bj = bias == null ? 0f : bias[mg0 + j];
              for (int q = 0; q < p; q++) {
                y[dst + q] = tmp[src + q] + bj;
              }
            }
          }
        });
      }
    }
  }

  /** Where the unfolded columns of images [s, s+nb) of group g start in the cache. */
  private int cacheOffset(int s, int nb, int g) {
    return (s * group + g * nb) * k * p;
  }

  @Override
  void backward(Ctx ctx) {
    float[] x = in[0].data;
    float[] w = in[1].data;
    float[] dy = out[0].grad;
    boolean wantX = wants(0);
    boolean wantW = wants(1);
    if (wants(2)) {
      float[] db = in[2].grad;
      boolean acc = accumulate[2];
      for (int j = 0; j < m; j++) {
        double sum = 0;
        for (int b = 0; b < n; b++) {
          int off = (b * m + j) * p;
          for (int q = off, e = off + p; q < e; q++) {
            sum += dy[q];
          }
        }
        db[j] = (float) (acc ? db[j] + sum : sum);
      }
    }
    if (!wantX && !wantW) {
      return;
    }
    if (wantX) {
      clearGradIfFirst(0);
      dcol = workspace(dcol, k * chunk * p);
    }
    if (wantW && !cached) {
      col = workspace(col, k * chunk * p);
    }
    if (chunk > 1) {
      tmp = workspace(tmp, mg * chunk * p);
    }
    float[] dx = wantX ? in[0].grad : null;
    float[] dw = wantW ? in[1].grad : null;
    int hw = win.inPlane();
    for (int s = 0; s < n; s += chunk) {
      int nb = Math.min(chunk, n - s);
      int cols = nb * p;
      int start = s;
      for (int g = 0; g < group; g++) {
        int mg0 = g * mg;
        float[] dyt;
        int dytOff;
        if (nb == 1) {
          dyt = dy;
          dytOff = (s * m + mg0) * p;
        } else {
          dyt = tmp;
          dytOff = 0;
          ctx.par.forRange(nb, (long) mg * p, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
              for (int j = 0; j < mg; j++) {
                System.arraycopy(dy, ((start + b) * m + mg0 + j) * p, tmp, j * cols + b * p, p);
              }
            }
          });
        }
        if (wantW) {
          float[] cb;
          int cOff;
          if (cached) {
            cb = colCache;
            cOff = cacheOffset(s, nb, g);
          } else {
            cb = col;
            cOff = 0;
            int xg = g * cg;
            ctx.par.forRange(nb, (long) k * p, (b0, b1) -> {
              for (int b = b0; b < b1; b++) {
                win.im2col(x, ((start + b) * c + xg) * hw, cg, cb, b * p, cols);
              }
            });
          }
          float beta = (s == 0 && !accumulate[1]) ? 0f : 1f;
          ctx.blas.gemm(ctx.par, false, true, mg, k, cols, 1f, dyt, dytOff, cols, cb, cOff, cols, beta, dw, mg0 * k, k);
        }
        if (wantX) {
          ctx.blas.gemm(ctx.par, true, false, k, cols, mg, 1f, w, mg0 * k, k, dyt, dytOff, cols, 0f, dcol, 0, cols);
          int xg = g * cg;
          ctx.par.forRange(nb, (long) k * p, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
              win.col2im(dcol, b * p, cols, cg, dx, ((start + b) * c + xg) * hw);
            }
          });
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Conv " + Arrays.toString(in[0].shape) + " -> " + Arrays.toString(out[0].shape);
  }
}
