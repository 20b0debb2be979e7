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

  /** Sets every pruned weight to exactly 0.0 (before training starts). */
  static void applyMask(float[] w, boolean[] keep) {
    for (int i = 0; i < w.length; i++) {
      if (!keep[i]) {
        w[i] = 0f;
      }
    }
  }
}
