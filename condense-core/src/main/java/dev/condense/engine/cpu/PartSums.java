package dev.condense.engine.cpu;

/**
 * The per-thread parts of a weight gradient summed in a fixed order (part 0 first), so that the
 * result does not depend on timing; shared by the convolution kernels.
 */
final class PartSums {
  private PartSums() {}

  /** {@code dst[i] = (acc ? dst[i] : 0) + Σ parts[q][i]} for q below {@code count}, i below {@code size}. */
  static void sumInto(float[][] parts, int count, int size, float[] dst, boolean acc) {
    for (int i = 0; i < size; i++) {
      float sum = 0f;
      for (int q = 0; q < count; q++) {
        sum += parts[q][i];
      }
      dst[i] = acc ? dst[i] + sum : sum;
    }
  }

  /** The bias gradient: {@code db[j] (+)= Σ dy} over the batch and the {@code p} positions of channel j. */
  static void channelSums(float[] dy, int n, int m, int p, float[] db, boolean acc) {
    for (int j = 0; j < m; j++) {
      double sum = 0;
      for (int b = 0; b < n; b++) {
        int off = (b * m + j) * p;
        for (int q = off, e = off + p; q < e; q++) {
          sum += dy[q];
        }
      }
      db[j] = (float) (acc ? db[j] + sum : sum);
    }
  }
}
