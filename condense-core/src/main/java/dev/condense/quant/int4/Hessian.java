package dev.condense.quant.int4;

/**
 * The Hessian of a linear layer's least-squares reconstruction error over its input features,
 * {@code H = 2 XᵀX / n} for inputs X [n, features] (Frantar et al. 2023, §3), accumulated batch by
 * batch in float64 from the inputs the layer sees on calibration data.
 */
final class Hessian {
  private final int features;
  private final double[] sum;
  private long samples;

  Hessian(int features) {
    this.features = features;
    this.sum = new double[features * features];
  }

  /** Adds {@code count} input rows of {@code features} values each. */
  void add(float[] x, int count) {
    int f = features;
    for (int s = 0; s < count; s++) {
      int o = s * f;
      for (int i = 0; i < f; i++) {
        double xi = x[o + i];
        if (xi == 0) {
          continue; // ReLU outputs and image backgrounds are mostly zeros
        }
        int row = i * f;
        for (int j = i; j < f; j++) {
          sum[row + j] += xi * x[o + j];
        }
      }
    }
    samples += count;
  }

  long samples() {
    return samples;
  }

  /** {@code 2 XᵀX / n}, [features, features] row-major. */
  double[] matrix() {
    double[] h = new double[sum.length];
    double k = samples > 0 ? 2.0 / samples : 0;
    for (int i = 0; i < features; i++) {
      for (int j = i; j < features; j++) {
        h[i * features + j] = k * sum[i * features + j];
        h[j * features + i] = h[i * features + j];
      }
    }
    return h;
  }

  /**
   * The layer's relative output error on the inputs seen, {@code ||X(W − Ŵ)ᵀ|| / ||XWᵀ||}, from
   * {@code δᵀ(XᵀX)δ} summed over the output rows ({@code w}, {@code wq} [rows, features]).
   */
  double relativeError(float[] w, float[] wq, int rows) {
    double[] h = matrix();
    int f = features;
    double err = 0;
    double ref = 0;
    double[] d = new double[f];
    for (int n = 0; n < rows; n++) {
      for (int i = 0; i < f; i++) {
        d[i] = (double) w[n * f + i] - wq[n * f + i];
      }
      for (int i = 0; i < f; i++) {
        double he = 0;
        double hw = 0;
        for (int j = 0; j < f; j++) {
          he += h[i * f + j] * d[j];
          hw += h[i * f + j] * w[n * f + j];
        }
        err += d[i] * he;
        ref += w[n * f + i] * hw;
      }
    }
    return ref > 0 ? Math.sqrt(err / ref) : 0;
  }
}
