package dev.condense.engine.cpu;

import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Node;

/**
 * MaxPool and AveragePool over 1-D and 2-D windows (padding, strides, dilations, ceil mode;
 * AveragePool's {@code count_include_pad}). MaxPool's forward pass keeps only the maxima
 * (branch-free: tracking the arg-max there costs a mispredicted branch per element on real
 * activations, 3× the time); backward sends each gradient to the first element of its window
 * that equals the maximum, which is the element PyTorch picks. The part of each window that lies
 * inside the input is computed once per output row and column, so the inner loops carry no
 * bounds checks.
 */
final class PoolKernel extends Kernel {
  private final boolean max;
  private final boolean countPad;
  private final Window2d win;
  private final int planes;
  /** Per output row: first and end kernel row inside the input; per output column likewise. */
  private final int[] rowLo;
  private final int[] rowHi;
  private final int[] colLo;
  private final int[] colHi;
  /** Per output pixel: the divisor of the average. */
  private final float[] divisor;
  /** 2×2 windows, stride 2, all inside the input: LeNet's and VGG's pools, on a fast path. */
  private final boolean pair;
  /** Fast path only: which of the four window elements was the maximum (0..3, row-major). */
  private byte[] which;

  PoolKernel(Node node, Buf[] in, Buf[] out, ConvGeometry geometry, boolean max) {
    super(node, in, out);
    this.max = max;
    countPad = node.intAttr("count_include_pad", 0) != 0;
    win = Window2d.of(geometry);
    planes = in[0].dim(0) * in[0].dim(1);
    rowLo = new int[win.oh()];
    rowHi = new int[win.oh()];
    colLo = new int[win.ow()];
    colHi = new int[win.ow()];
    int[] rowPad = new int[win.oh()];
    int[] colPad = new int[win.ow()];
    for (int oy = 0; oy < win.oh(); oy++) {
      int y0 = oy * win.sh() - win.ph();
      rowLo[oy] = firstInside(y0, win.dh(), win.kh(), 0);
      rowHi[oy] = endInside(y0, win.dh(), win.kh(), win.h());
      rowPad[oy] = endInside(y0, win.dh(), win.kh(), win.h() + win.qh()) - firstInside(y0, win.dh(), win.kh(), -win.ph());
    }
    for (int ox = 0; ox < win.ow(); ox++) {
      int x0 = ox * win.sw() - win.pw();
      colLo[ox] = firstInside(x0, win.dw(), win.kw(), 0);
      colHi[ox] = endInside(x0, win.dw(), win.kw(), win.w());
      colPad[ox] = endInside(x0, win.dw(), win.kw(), win.w() + win.qw()) - firstInside(x0, win.dw(), win.kw(), -win.pw());
    }
    pair = max && win.kh() == 2 && win.kw() == 2 && win.sh() == 2 && win.sw() == 2 && win.dh() == 1
        && win.dw() == 1 && win.ph() == 0 && win.pw() == 0 && 2 * win.oh() <= win.h() && 2 * win.ow() <= win.w();
    divisor = new float[win.outPlane()];
    for (int oy = 0; oy < win.oh(); oy++) {
      for (int ox = 0; ox < win.ow(); ox++) {
        int d = countPad ? rowPad[oy] * colPad[ox]
            : Math.max(0, rowHi[oy] - rowLo[oy]) * Math.max(0, colHi[ox] - colLo[ox]);
        divisor[oy * win.ow() + ox] = Math.max(1, d);
      }
    }
  }

  /** First kernel index t in [0, k) with start + t·d ≥ lo. */
  private static int firstInside(int start, int d, int k, int lo) {
    return start >= lo ? 0 : Math.min(k, (lo - start + d - 1) / d);
  }

  /** One past the last kernel index t in [0, k) with start + t·d < hi. */
  private static int endInside(int start, int d, int k, int hi) {
    return start >= hi ? 0 : Math.min(k, (hi - 1 - start) / d + 1);
  }

  /**
   * The 2×2 stride-2 max pool, branch-free ({@link Bits}).
   */
  private void forwardPair(Ctx ctx, float[] x, float[] y) {
    if (which == null || which.length != y.length) {
      which = new byte[y.length];
    }
    byte[] arg = which;
    int h = win.h();
    int w = win.w();
    int oh = win.oh();
    int ow = win.ow();
    ctx.par.forRange(planes, (long) oh * ow * 4, (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        for (int oy = 0; oy < oh; oy++) {
          int r0 = pl * h * w + 2 * oy * w;
          int r1 = r0 + w;
          int o = (pl * oh + oy) * ow;
          for (int ox = 0; ox < ow; ox++) {
            float a = x[r0 + 2 * ox];
            float b = x[r0 + 2 * ox + 1];
            float c = x[r1 + 2 * ox];
            float d = x[r1 + 2 * ox + 1];
            int s1 = Bits.greater(b, a);
            int s2 = Bits.greater(d, c);
            float m1 = Bits.select(s1, b, a);
            float m2 = Bits.select(s2, d, c);
            int s3 = Bits.greater(m2, m1);
            y[o + ox] = Bits.select(s3, m2, m1);
            arg[o + ox] = (byte) (((2 | (s2 & 1)) & s3) | ((s1 & 1) & ~s3));
          }
        }
      }
    });
  }

  private void backwardPair(Ctx ctx, float[] dx, float[] dy) {
    byte[] arg = which;
    boolean acc = accumulate[0];
    int h = win.h();
    int w = win.w();
    int oh = win.oh();
    int ow = win.ow();
    if (!acc && (2 * oh != h || 2 * ow != w)) {
      java.util.Arrays.fill(dx, 0f); // rows or columns no window covers
    }
    ctx.par.forRange(planes, (long) oh * ow * 4, (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        for (int oy = 0; oy < oh; oy++) {
          int r0 = pl * h * w + 2 * oy * w;
          int o = (pl * oh + oy) * ow;
          for (int ox = 0; ox < ow; ox++) {
            float g = dy[o + ox];
            int k = arg[o + ox];
            for (int j = 0; j < 4; j++) {
              int at = r0 + (j >> 1) * w + 2 * ox + (j & 1);
              // g where j is the winner, else 0, without a branch
              float v = Bits.keep(-(k == j ? 1 : 0), g);
              dx[at] = acc ? dx[at] + v : v;
            }
          }
        }
      }
    });
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    if (pair) {
      forwardPair(ctx, x, y);
      return;
    }
    int h = win.h();
    int w = win.w();
    int oh = win.oh();
    int ow = win.ow();
    int sh = win.sh();
    int sw = win.sw();
    int dh = win.dh();
    int dw = win.dw();
    int ph = win.ph();
    int pw = win.pw();
    ctx.par.forRange(planes, (long) win.outPlane() * win.kernelSize(), (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        int xo = pl * h * w;
        int yo = pl * oh * ow;
        for (int oy = 0; oy < oh; oy++) {
          int y0 = oy * sh - ph;
          int r0 = rowLo[oy];
          int r1 = rowHi[oy];
          for (int ox = 0; ox < ow; ox++) {
            int x0 = ox * sw - pw;
            int c0 = colLo[ox];
            int c1 = colHi[ox];
            int o = yo + oy * ow + ox;
            if (max) {
              float best = Float.NEGATIVE_INFINITY;
              for (int ki = r0; ki < r1; ki++) {
                int row = xo + (y0 + ki * dh) * w + x0;
                for (int kj = c0; kj < c1; kj++) {
                  best = Math.max(best, x[row + kj * dw]);
                }
              }
              y[o] = best;
            } else {
              double sum = 0;
              for (int ki = r0; ki < r1; ki++) {
                int row = xo + (y0 + ki * dh) * w + x0;
                for (int kj = c0; kj < c1; kj++) {
                  sum += x[row + kj * dw];
                }
              }
              y[o] = (float) (sum / divisor[oy * ow + ox]);
            }
          }
        }
      }
    });
  }

  /** Index in x of the first element of window (oy, ox) equal to its maximum, or -1. */
  private int firstMax(float[] x, int xo, int y0, int x0, int oy, int ox, float best) {
    for (int ki = rowLo[oy]; ki < rowHi[oy]; ki++) {
      int row = xo + (y0 + ki * win.dh()) * win.w() + x0;
      for (int kj = colLo[ox]; kj < colHi[ox]; kj++) {
        if (x[row + kj * win.dw()] == best) {
          return row + kj * win.dw();
        }
      }
    }
    return -1;
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    if (pair) {
      backwardPair(ctx, in[0].grad, out[0].grad);
      return;
    }
    clearGradIfFirst(0);
    float[] dx = in[0].grad;
    float[] dy = out[0].grad;
    float[] x = in[0].data;
    float[] y = out[0].data;
    int h = win.h();
    int w = win.w();
    int oh = win.oh();
    int ow = win.ow();
    ctx.par.forRange(planes, (long) win.outPlane() * (max ? 1 : win.kernelSize()), (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        int xo = pl * h * w;
        int yo = pl * oh * ow;
        if (max) {
          for (int oy = 0; oy < oh; oy++) {
            int y0 = oy * win.sh() - win.ph();
            for (int ox = 0; ox < ow; ox++) {
              int x0 = ox * win.sw() - win.pw();
              int o = yo + oy * ow + ox;
              int at = firstMax(x, xo, y0, x0, oy, ox, y[o]);
              if (at >= 0) {
                dx[at] += dy[o];
              }
            }
          }
          continue;
        }
        for (int oy = 0; oy < oh; oy++) {
          int y0 = oy * win.sh() - win.ph();
          for (int ox = 0; ox < ow; ox++) {
            int x0 = ox * win.sw() - win.pw();
            float share = dy[yo + oy * ow + ox] / divisor[oy * ow + ox];
            for (int ki = rowLo[oy]; ki < rowHi[oy]; ki++) {
              int row = xo + (y0 + ki * win.dh()) * w + x0;
              for (int kj = colLo[ox]; kj < colHi[ox]; kj++) {
                dx[row + kj * win.dw()] += share;
              }
            }
          }
        }
      }
    });
  }
}
