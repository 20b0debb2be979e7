package dev.condense.engine.cpu;

import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Node;
import java.util.Arrays;

/**
 * Conv (1-D and 2-D, grouped, strided, dilated, padded) as im2col + GEMM, Caffe's scheme,
 * data-parallel: each thread takes a contiguous share of the batch and walks it in small chunks
 * of images whose unfolded input (K×images·P, K = C/g·kh·kw, P = output pixels) stays in the
 * core's cache. Per chunk: forward unfolds and multiplies by the M/g×K weights; backward gathers
 * dY, adds dY·colᵀ into the thread's own dW, and folds Wᵀ·dY back into dX — or, for a stride-1
 * window as wide as its input (3×3 pad 1), computes dX as a convolution of dY ({@link
 * AdjointConv}), which needs no col2im. A training forward pass keeps the unfolded input for
 * backward when it fits a memory bound and unfolding is slow (not a {@link ShiftedPlane}). The per-thread dW
 * parts are summed at the end in a fixed order, so results do not depend on timing. A pointwise
 * convolution (1×1, stride 1, no padding) skips im2col and col2im: each image's C×H·W plane is
 * already its column matrix, so it runs as one GEMM per image and group on the NCHW arrays
 * ({@link PointwiseConv}).
 */
final class ConvKernel extends Kernel {
  /** Target floats of unfolded input per chunk (about 1 MB: a core's L2 cache). */
  private static final int CHUNK_FLOATS = Integer.getInteger("condense.conv.chunkFloats", 1 << 18);
  /**
   * Most floats of unfolded input a layer keeps from forward for backward (64 MB); above it
   * backward unfolds again. Unfolding costs about as much as the weight-gradient GEMM.
   */
  private static final long KEEP_FLOATS = Long.getLong("condense.conv.keepFloats", 16L << 20);

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
  /** The GEMMs of a pointwise convolution, or null when the window needs unfolding. */
  private final PointwiseConv pointwise;
  /** The input gradient as a convolution of dY (stride-1 same-width windows), or null: Wᵀ·dY and col2im. */
  private final AdjointConv adjointConv;
  /** The whole batch unfolded during a training forward pass, when it fits {@link #KEEP_FLOATS}. */
  private float[] kept;
  private boolean keptValid;
  /** Per-thread workspaces: unfolded input, its gradient, gathered dY, weight-gradient part. */
  private float[][] col;
  private float[][] dcol;
  private float[][] tmp;
  private float[][] dwPart;

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
    pointwise = win.isPointwise() ? new PointwiseConv(c, m, group, p) : null;
    adjointConv = pointwise == null ? AdjointConv.of(win, c, m, group) : null;
  }

  private void allocate(int threads) {
    if (col == null || col.length != threads) {
      col = new float[threads][];
      dcol = new float[threads][];
      tmp = new float[threads][];
      dwPart = new float[threads][];
    }
  }

  private void unfold(float[] x, int start, int nb, int g, float[] cb, int cbOff) {
    int cols = nb * p;
    for (int b = 0; b < nb; b++) {
      win.im2col(x, ((start + b) * c + g * cg) * win.inPlane(), cg, cb, cbOff + b * p, cols);
    }
  }

  /** Where the kept columns of images [s, s+nb) of group g start (each chunk is K×nb·P). */
  private int keptOffset(int s, int nb, int g) {
    return (s * group + g * nb) * k * p;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] w = in[1].data;
    float[] bias = in.length > 2 && in[2] != null ? in[2].data : null;
    float[] y = out[0].data;
    if (pointwise != null) {
      keptValid = false;
      ctx.par.forParts(n, (part, from, to) -> pointwise.forward(ctx.blas, x, w, bias, y, from, to));
      return;
    }
    allocate(ctx.par.threads());
    // Keeping the columns writes them out of the cache and reads them back twice; unfolding a
    // shifted plane again is cheaper than that (measured: resnet-20's 3×3 layers 15-25% faster
    // over forward and backward), so only the row-by-row unfolds are kept.
    boolean keep = ctx.training && wants(1) && !ShiftedPlane.applies(win)
        && (long) n * group * k * p <= KEEP_FLOATS;
    if (keep && (kept == null || kept.length < n * group * k * p)) {
      kept = new float[n * group * k * p];
    }
    keptValid = keep;
    ctx.par.forParts(n, (part, from, to) -> {
      float[] t = Workspaces.ensure(tmp, part, mg * chunk * p);
      float[] work = keep ? null : Workspaces.ensure(col, part, k * chunk * p);
      for (int s = from; s < to; s += chunk) {
        int nb = Math.min(chunk, to - s);
        int cols = nb * p;
        for (int g = 0; g < group; g++) {
          float[] cb = keep ? kept : work;
          int cbOff = keep ? keptOffset(s, nb, g) : 0;
          unfold(x, s, nb, g, cb, cbOff);
          ctx.blas.gemm(false, false, mg, cols, k, 1f, w, g * mg * k, k, cb, cbOff, cols, 0f, t, 0, cols);
          for (int b = 0; b < nb; b++) {
            for (int j = 0; j < mg; j++) {
              int dst = ((s + b) * m + g * mg + j) * p;
              int src = j * cols + b * p;
              float bj = bias == null ? 0f : bias[g * mg + j];
              for (int q = 0; q < p; q++) {
                y[dst + q] = t[src + q] + bj;
              }
            }
          }
        }
      }
    });
  }

  @Override
  void backward(Ctx ctx) {
    float[] x = in[0].data;
    float[] w = in[1].data;
    float[] dy = out[0].grad;
    boolean wantX = wants(0);
    boolean wantW = wants(1);
    if (wants(2)) {
      PartSums.channelSums(dy, n, m, p, in[2].grad, accumulate[2]);
    }
    if (!wantX && !wantW) {
      return;
    }
    boolean viaAdjoint = wantX && adjointConv != null;
    if (wantX && pointwise == null && !viaAdjoint) {
      clearGradIfFirst(0);
    }
    if (viaAdjoint) {
      adjointConv.prepare(w);
    }
    boolean accX = accumulate[0];
    float[] dx = wantX ? in[0].grad : null;
    int threads = ctx.par.threads();
    allocate(threads);
    if (pointwise != null) {
      ctx.par.forParts(n, (part, from, to) -> {
        float[] dwp = wantW ? Workspaces.ensure(dwPart, part, m * k) : null;
        pointwise.backward(ctx.blas, x, w, dy, dx, accX, dwp, from, to);
      });
      if (wantW) {
        PartSums.sumInto(dwPart, Math.min(threads, n), m * k, in[1].grad, accumulate[1]);
      }
      return;
    }
    ctx.par.forParts(n, (part, from, to) -> {
      float[] t = Workspaces.ensure(tmp, part, mg * chunk * p);
      float[] work = wantW && !keptValid ? Workspaces.ensure(col, part, k * chunk * p) : null;
      float[] dc = wantX ? Workspaces.ensure(dcol, part, viaAdjoint ? adjointConv.columnFloats() : k * chunk * p) : null;
      float[] dwp = wantW ? Workspaces.ensure(dwPart, part, m * k) : null;
      if (wantW) {
        Arrays.fill(dwp, 0, m * k, 0f);
      }
      for (int s = from; s < to; s += chunk) {
        int nb = Math.min(chunk, to - s);
        int cols = nb * p;
        if (viaAdjoint) {
          adjointConv.inputGradient(ctx.blas, dy, dx, accX, dc, s, s + nb);
          if (!wantW) {
            continue;
          }
        }
        for (int g = 0; g < group; g++) {
          int mg0 = g * mg;
          for (int b = 0; b < nb; b++) {
            for (int j = 0; j < mg; j++) {
              System.arraycopy(dy, ((s + b) * m + mg0 + j) * p, t, j * cols + b * p, p);
            }
          }
          if (wantW) {
            float[] cb = keptValid ? kept : work;
            int cbOff = keptValid ? keptOffset(s, nb, g) : 0;
            if (!keptValid) {
              unfold(x, s, nb, g, cb, 0);
            }
            ctx.blas.gemm(false, true, mg, k, cols, 1f, t, 0, cols, cb, cbOff, cols, 1f, dwp, mg0 * k, k);
          }
          if (wantX && !viaAdjoint) {
            ctx.blas.gemm(true, false, k, cols, mg, 1f, w, mg0 * k, k, t, 0, cols, 0f, dc, 0, cols);
            for (int b = 0; b < nb; b++) {
              win.col2im(dc, b * p, cols, cg, dx, ((s + b) * c + g * cg) * win.inPlane());
            }
          }
        }
      }
    });
    if (wantW) {
      PartSums.sumInto(dwPart, Math.min(threads, n), m * k, in[1].grad, accumulate[1]);
    }
  }

  @Override
  public String toString() {
    return "Conv " + Arrays.toString(in[0].shape) + " -> " + Arrays.toString(out[0].shape);
  }
}
