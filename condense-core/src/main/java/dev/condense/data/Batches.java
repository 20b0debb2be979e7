package dev.condense.data;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits a data set: the identity, or a Fisher–Yates shuffle drawn
 * from a seed and the epoch number, so that the same seed gives the same batches on every run.
 */
public final class Batches {
  private Batches() {}

  /** The visiting order of {@code epoch} (0-based) for {@code n} samples. */
  public static int[] order(int n, long seed, int epoch, boolean shuffle) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Number of batches of size {@code batch} covering {@code n} samples (the last may be short). */
  public static int count(int n, int batch) {
    return (n + batch - 1) / batch;
  }
}
