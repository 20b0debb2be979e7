package dev.condense.engine.cpu;

import dev.condense.engine.Constraint;
import dev.condense.numeric.Parallel;

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
   * Trained shared weights (Deep Compression Eq. 3): dL/dC_j = Σ_{s, i: indices[s][i] = j} dL/dW_i,
   * then SGD with momentum on the table, then W_i = Σ_s C[indices[s][i]]. Pruned weights stay 0.
   */
  static void sharedStep(float[] w, float[] g, int[][] indices, float[] table, float[] v, float lr,
      float momentum, boolean averaged) {
    double[] grad = new double[table.length];
    int[] members = new int[table.length];
    for (int[] index : indices) {
      for (int i = 0; i < w.length; i++) {
        if (index[i] >= 0) {
          grad[index[i]] += g[i];
          members[index[i]]++;
        }
      }
    }
    for (int k = 0; k < table.length; k++) {
      double step = averaged && members[k] > 0 ? grad[k] / members[k] : grad[k];
      v[k] = momentum * v[k] + (float) step;
      table[k] -= lr * v[k];
    }
    rebuild(w, indices, table);
  }

  /** W_i = Σ_s C[indices[s][i]], stage by stage (the order decoders use too). */
  static void rebuild(float[] w, int[][] indices, float[] table) {
    for (int i = 0; i < w.length; i++) {
      float sum = 0f;
      for (int[] index : indices) {
        if (index[i] >= 0) {
          sum += table[index[i]];
        }
      }
      w[i] = sum;
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
