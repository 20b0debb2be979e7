package dev.condense.engine.cpu;

import dev.condense.engine.Constraint;

/**
 * One SGD step with momentum in PyTorch's form — {@code v = μ·v + (g + λ·w)}, {@code w −= lr·v}
 * — under a weight's constraint: a {@link Constraint.Mask} zeroes the pruned weights, their
 * gradients and their momentum on every step, so they stay exactly 0.0.
 */
final class Sgd {
  private Sgd() {}

  static void step(float[] w, float[] g, float[] v, boolean[] keep, float lr, float momentum,
      float decay, Parallel par) {
    par.forRange(w.length, 4, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (keep != null && !keep[i]) {
          w[i] = 0f;
          v[i] = 0f;
          continue;
        }
        float d = g[i] + decay * w[i];
        v[i] = momentum * v[i] + d;
        w[i] -= lr * v[i];
      }
    });
  }

  /**
   * Trained quantization (Deep Compression Eq. 3): dL/dC_k = Σ_{i: index[i] = k} dL/dW_i, then SGD
   * with momentum on the centroids, then W_i = C[index[i]]. Pruned weights (index −1) stay 0.
   */
  static void sharedStep(float[] w, float[] g, int[] index, float[] centroids, float[] v, float lr,
      float momentum) {
    double[] grad = new double[centroids.length];
    for (int i = 0; i < w.length; i++) {
      if (index[i] >= 0) {
        grad[index[i]] += g[i];
      }
    }
    for (int k = 0; k < centroids.length; k++) {
      v[k] = momentum * v[k] + (float) grad[k];
      centroids[k] -= lr * v[k];
    }
    rebuild(w, index, centroids);
  }

  /** W_i = C[index[i]], 0 where pruned. */
  static void rebuild(float[] w, int[] index, float[] centroids) {
    for (int i = 0; i < w.length; i++) {
      w[i] = index[i] < 0 ? 0f : centroids[index[i]];
    }
  }

  /** Sets every pruned weight to exactly 0.0 (before training starts). */
  static void applyMask(float[] w, boolean[] keep) {
    for (int i = 0; i < w.length; i++) {
      if (!keep[i]) {
        w[i] = 0f;
      }
    }
  }
}
