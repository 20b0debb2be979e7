package dev.condense.engine.cpu;

/**
 * ONNX LSTM, GRU and RNN with their default activations in float64, written straight from the
 * equations of Operators.md (LSTM-14, GRU-14, RNN-14), one loop per index, to check the engine's
 * kernels and their gradients (by central differences on this) against.
 *
 * @param gates 4 (LSTM, i o f c), 3 (GRU, z r h) or 1 (RNN)
 */
record RecurrentReference64(int gates, int steps, int batch, int inputs, int hidden, int directions,
    boolean reverse, boolean batchFirst, boolean linearBeforeReset) {

  /** Y, then Y_h, then (LSTM) Y_c, each flattened in the node's layout. b, h0, c0, p may be null. */
  double[] run(double[] x, double[] w, double[] r, double[] b, double[] h0, double[] c0, double[] p) {
    int h = hidden;
    int g = gates * h;
    double[] y = new double[steps * directions * batch * h];
    double[] yh = new double[directions * batch * h];
    double[] yc = new double[directions * batch * h];
    for (int d = 0; d < directions; d++) {
      boolean back = directions == 2 ? d == 1 : reverse;
      for (int n = 0; n < batch; n++) {
        double[] hs = new double[h];
        double[] cs = new double[h];
        for (int j = 0; j < h; j++) {
          hs[j] = h0 == null ? 0 : h0[state(d, n) + j];
          cs[j] = c0 == null ? 0 : c0[state(d, n) + j];
        }
        for (int s = 0; s < steps; s++) {
          int t = back ? steps - 1 - s : s;
          double[] pre = new double[g];
          double[] hr = new double[g];
          for (int k = 0; k < g; k++) {
            pre[k] = b == null ? 0 : b[d * 2 * g + k];
            hr[k] = b == null ? 0 : b[d * 2 * g + g + k];
            for (int i = 0; i < inputs; i++) {
              pre[k] += w[(d * g + k) * inputs + i] * x[xAt(t, n) + i];
            }
            for (int i = 0; i < h; i++) {
              hr[k] += r[(d * g + k) * h + i] * hs[i];
            }
          }
          double[] next = new double[h];
          if (gates == 4) {
            int po = d * 3 * h;
            for (int j = 0; j < h; j++) {
              double pi = p == null ? 0 : p[po + j];
              double pO = p == null ? 0 : p[po + h + j];
              double pf = p == null ? 0 : p[po + 2 * h + j];
              double it = sig(pre[j] + hr[j] + pi * cs[j]);
              double ft = sig(pre[2 * h + j] + hr[2 * h + j] + pf * cs[j]);
              double ct = Math.tanh(pre[3 * h + j] + hr[3 * h + j]);
              cs[j] = ft * cs[j] + it * ct;
              double ot = sig(pre[h + j] + hr[h + j] + pO * cs[j]);
              next[j] = ot * Math.tanh(cs[j]);
            }
          } else if (gates == 3) {
            double[] z = new double[h];
            double[] rt = new double[h];
            for (int j = 0; j < h; j++) {
              z[j] = sig(pre[j] + hr[j]);
              rt[j] = sig(pre[h + j] + hr[h + j]);
            }
            for (int j = 0; j < h; j++) {
              double cand;
              if (linearBeforeReset) {
                cand = pre[2 * h + j] + rt[j] * hr[2 * h + j];
              } else {
                cand = pre[2 * h + j] + (b == null ? 0 : b[d * 2 * g + g + 2 * h + j]);
                for (int i = 0; i < h; i++) {
                  cand += r[(d * g + 2 * h + j) * h + i] * rt[i] * hs[i];
                }
              }
              next[j] = (1 - z[j]) * Math.tanh(cand) + z[j] * hs[j];
            }
          } else {
            for (int j = 0; j < h; j++) {
              next[j] = Math.tanh(pre[j] + hr[j]);
            }
          }
          hs = next;
          for (int j = 0; j < h; j++) {
            y[yAt(t, d, n) + j] = hs[j];
          }
        }
        for (int j = 0; j < h; j++) {
          yh[state(d, n) + j] = hs[j];
          yc[state(d, n) + j] = cs[j];
        }
      }
    }
    int outs = gates == 4 ? 3 : 2;
    double[] all = new double[y.length + (outs - 1) * yh.length];
    System.arraycopy(y, 0, all, 0, y.length);
    System.arraycopy(yh, 0, all, y.length, yh.length);
    if (outs == 3) {
      System.arraycopy(yc, 0, all, y.length + yh.length, yc.length);
    }
    return all;
  }

  private static double sig(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  private int xAt(int t, int n) {
    return (batchFirst ? n * steps + t : t * batch + n) * inputs;
  }

  private int yAt(int t, int d, int n) {
    return (batchFirst ? (n * steps + t) * directions + d : (t * directions + d) * batch + n) * hidden;
  }

  private int state(int d, int n) {
    return (batchFirst ? n * directions + d : d * batch + n) * hidden;
  }
}
