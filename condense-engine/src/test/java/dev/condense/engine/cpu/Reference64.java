package dev.condense.engine.cpu;

/**
 * Direct float64 implementations of the engine's heavy kernels, written as plainly as possible
 * (one loop per index of the definition) to check the optimised float32 code against.
 */
final class Reference64 {
  private Reference64() {}

  /** Conv geometry for the reference: 2-D, per-axis strides, begin pads, dilations, group. */
  record Conv(int n, int c, int h, int w, int m, int kh, int kw, int sh, int sw, int ph, int pw,
      int qh, int qw, int dh, int dw, int group) {
    int oh() {
      return (h + ph + qh - (kh - 1) * dh - 1) / sh + 1;
    }

    int ow() {
      return (w + pw + qw - (kw - 1) * dw - 1) / sw + 1;
    }
  }

  static double[] conv(Conv g, float[] x, float[] wt, float[] b) {
    int oh = g.oh();
    int ow = g.ow();
    int cg = g.c() / g.group();
    int mg = g.m() / g.group();
    double[] y = new double[g.n() * g.m() * oh * ow];
    for (int n = 0; n < g.n(); n++) {
      for (int m = 0; m < g.m(); m++) {
        int grp = m / mg;
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double s = b == null ? 0 : b[m];
            for (int ci = 0; ci < cg; ci++) {
              int c = grp * cg + ci;
              for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                  int iy = oy * g.sh() - g.ph() + ki * g.dh();
                  int ix = ox * g.sw() - g.pw() + kj * g.dw();
                  if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                    s += (double) x[((n * g.c() + c) * g.h() + iy) * g.w() + ix]
                        * wt[((m * cg + ci) * g.kh() + ki) * g.kw() + kj];
                  }
                }
              }
            }
            y[((n * g.m() + m) * oh + oy) * ow + ox] = s;
          }
        }
      }
    }
    return y;
  }

  /** Gradients {dx, dw, db} of conv for upstream gradient gy. */
  static double[][] convBackward(Conv g, float[] x, float[] wt, float[] gy) {
    int oh = g.oh();
    int ow = g.ow();
    int cg = g.c() / g.group();
    int mg = g.m() / g.group();
    double[] dx = new double[x.length];
    double[] dw = new double[wt.length];
    double[] db = new double[g.m()];
    for (int n = 0; n < g.n(); n++) {
      for (int m = 0; m < g.m(); m++) {
        int grp = m / mg;
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double gv = gy[((n * g.m() + m) * oh + oy) * ow + ox];
            db[m] += gv;
            for (int ci = 0; ci < cg; ci++) {
              int c = grp * cg + ci;
              for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                  int iy = oy * g.sh() - g.ph() + ki * g.dh();
                  int ix = ox * g.sw() - g.pw() + kj * g.dw();
                  if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                    int xi = ((n * g.c() + c) * g.h() + iy) * g.w() + ix;
                    int wi = ((m * cg + ci) * g.kh() + ki) * g.kw() + kj;
                    dx[xi] += gv * wt[wi];
                    dw[wi] += gv * x[xi];
                  }
                }
              }
            }
          }
        }
      }
    }
    return new double[][] {dx, dw, db};
  }

  /** y[m×n] = a[m×k] · b[k×n] (+ bias over n). */
  static double[] matmul(float[] a, float[] b, int m, int k, int n) {
    double[] y = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += (double) a[i * k + t] * b[t * n + j];
        }
        y[i * n + j] = s;
      }
    }
    return y;
  }

  static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }

  static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** BatchNorm with batch statistics: {y, dx, dscale, dbias} for upstream gy. */
  static double[][] batchNormTraining(float[] x, float[] scale, float[] bias, float[] gy, int n, int c,
      int s, double eps) {
    double[] y = new double[x.length];
    double[] dx = new double[x.length];
    double[] dscale = new double[c];
    double[] dbias = new double[c];
    int m = n * s;
    for (int ch = 0; ch < c; ch++) {
      double mu = 0;
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < s; i++) {
          mu += x[(b * c + ch) * s + i];
        }
      }
      mu /= m;
      double var = 0;
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < s; i++) {
          double d = x[(b * c + ch) * s + i] - mu;
          var += d * d;
        }
      }
      var /= m;
      double is = 1 / Math.sqrt(var + eps);
      double sumG = 0;
      double sumGx = 0;
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < s; i++) {
          int at = (b * c + ch) * s + i;
          double xh = (x[at] - mu) * is;
          y[at] = xh * scale[ch] + bias[ch];
          sumG += gy[at];
          sumGx += gy[at] * xh;
        }
      }
      dscale[ch] = sumGx;
      dbias[ch] = sumG;
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < s; i++) {
          int at = (b * c + ch) * s + i;
          double xh = (x[at] - mu) * is;
          dx[at] = scale[ch] * is / m * (m * gy[at] - sumG - xh * sumGx);
        }
      }
    }
    return new double[][] {y, dx, dscale, dbias};
  }

  /** Max or average pooling (padding excluded from averages): {y, dx}. */
  static double[][] pool(boolean max, float[] x, float[] gy, int planes, int h, int w, int k, int st,
      int pad, int oh, int ow) {
    double[] y = new double[planes * oh * ow];
    double[] dx = new double[x.length];
    for (int p = 0; p < planes; p++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double best = Double.NEGATIVE_INFINITY;
          int arg = -1;
          double sum = 0;
          int cnt = 0;
          for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) {
              int iy = oy * st - pad + ki;
              int ix = ox * st - pad + kj;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                continue;
              }
              int at = (p * h + iy) * w + ix;
              if (x[at] > best) {
                best = x[at];
                arg = at;
              }
              sum += x[at];
              cnt++;
            }
          }
          int o = (p * oh + oy) * ow + ox;
          y[o] = max ? best : sum / cnt;
          if (max) {
            dx[arg] += gy[o];
          } else {
            for (int ki = 0; ki < k; ki++) {
              for (int kj = 0; kj < k; kj++) {
                int iy = oy * st - pad + ki;
                int ix = ox * st - pad + kj;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  dx[(p * h + iy) * w + ix] += gy[o] / cnt;
                }
              }
            }
          }
        }
      }
    }
    return new double[][] {y, dx};
  }
}
