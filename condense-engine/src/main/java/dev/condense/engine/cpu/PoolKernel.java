package dev.condense.engine.cpu;

import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Node;

/**
 * MaxPool and AveragePool over 1-D and 2-D windows (padding, strides, dilations, ceil mode;
 * AveragePool's {@code count_include_pad}). MaxPool remembers the arg-max of each window for
 * backward; ties go to the first element, as in PyTorch.
 */
final class PoolKernel extends Kernel {
  private final boolean max;
  private final boolean countPad;
  private final Window2d win;
  private final int planes;
  private int[] argmax;

  PoolKernel(Node node, Buf[] in, Buf[] out, ConvGeometry geometry) {
    super(node, in, out);
    max = node.opType().equals("MaxPool");
    countPad = node.intAttr("count_include_pad", 0) != 0;
    win = Window2d.of(geometry);
    planes = in[0].dim(0) * in[0].dim(1);
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    int inPlane = win.inPlane();
    int outPlane = win.outPlane();
    if (max && (argmax == null || argmax.length != y.length)) {
      argmax = new int[y.length];
    }
    ctx.par.forRange(planes, (long) outPlane * win.kernelSize(), (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        int xo = pl * inPlane;
        int yo = pl * outPlane;
        for (int oy = 0; oy < win.oh(); oy++) {
          int y0 = oy * win.sh() - win.ph();
          for (int ox = 0; ox < win.ow(); ox++) {
            int x0 = ox * win.sw() - win.pw();
            if (max) {
              maxWindow(x, xo, y0, x0, y, argmax, yo + oy * win.ow() + ox);
            } else {
              y[yo + oy * win.ow() + ox] = averageWindow(x, xo, y0, x0);
            }
          }
        }
      }
    });
  }

  private void maxWindow(float[] x, int xo, int y0, int x0, float[] y, int[] arg, int at) {
    float best = Float.NEGATIVE_INFINITY;
    int bestIdx = -1;
    for (int ki = 0; ki < win.kh(); ki++) {
      int iy = y0 + ki * win.dh();
      if (iy < 0 || iy >= win.h()) {
        continue;
      }
      for (int kj = 0; kj < win.kw(); kj++) {
        int ix = x0 + kj * win.dw();
        if (ix < 0 || ix >= win.w()) {
          continue;
        }
        int idx = iy * win.w() + ix;
        float v = x[xo + idx];
        if (v > best || bestIdx < 0 || Float.isNaN(v)) {
          best = v;
          bestIdx = idx;
        }
      }
    }
    y[at] = best;
    arg[at] = bestIdx;
  }

  /** Window mean; the divisor counts padding (up to the padded end) only with count_include_pad. */
  private float averageWindow(float[] x, int xo, int y0, int x0) {
    double sum = 0;
    int valid = 0;
    int padded = 0;
    for (int ki = 0; ki < win.kh(); ki++) {
      int iy = y0 + ki * win.dh();
      if (iy >= win.h() + win.qh()) {
        continue;
      }
      boolean rowIn = iy >= 0 && iy < win.h();
      for (int kj = 0; kj < win.kw(); kj++) {
        int ix = x0 + kj * win.dw();
        if (ix >= win.w() + win.qw()) {
          continue;
        }
        padded++;
        if (rowIn && ix >= 0 && ix < win.w()) {
          sum += x[xo + iy * win.w() + ix];
          valid++;
        }
      }
    }
    int div = countPad ? padded : valid;
    return div == 0 ? 0f : (float) (sum / div);
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    clearGradIfFirst(0);
    float[] dx = in[0].grad;
    float[] dy = out[0].grad;
    int inPlane = win.inPlane();
    int outPlane = win.outPlane();
    ctx.par.forRange(planes, (long) outPlane * (max ? 1 : win.kernelSize()), (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        int xo = pl * inPlane;
        int yo = pl * outPlane;
        if (max) {
          for (int o = 0; o < outPlane; o++) {
            int a = argmax[yo + o];
            if (a >= 0) {
              dx[xo + a] += dy[yo + o];
            }
          }
          continue;
        }
        for (int oy = 0; oy < win.oh(); oy++) {
          for (int ox = 0; ox < win.ow(); ox++) {
            spreadAverage(dx, xo, oy * win.sh() - win.ph(), ox * win.sw() - win.pw(), dy[yo + oy * win.ow() + ox]);
          }
        }
      }
    });
  }

  private void spreadAverage(float[] dx, int xo, int y0, int x0, float g) {
    int valid = 0;
    int padded = 0;
    for (int pass = 0; pass < 2; pass++) {
      float share = pass == 0 ? 0f : g / (countPad ? padded : valid);
      for (int ki = 0; ki < win.kh(); ki++) {
        int iy = y0 + ki * win.dh();
        if (iy >= win.h() + win.qh()) {
          continue;
        }
        for (int kj = 0; kj < win.kw(); kj++) {
          int ix = x0 + kj * win.dw();
          if (ix >= win.w() + win.qw()) {
            continue;
          }
          boolean inside = iy >= 0 && iy < win.h() && ix >= 0 && ix < win.w();
          if (pass == 0) {
            padded++;
            valid += inside ? 1 : 0;
          } else if (inside) {
            dx[xo + iy * win.w() + ix] += share;
          }
        }
      }
      if ((countPad ? padded : valid) == 0) {
        return;
      }
    }
  }
}
