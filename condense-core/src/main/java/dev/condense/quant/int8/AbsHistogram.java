package dev.condense.quant.int8;

/**
 * A histogram of |x| in 2048 bins over [0, R] (TensorRT's calibration histogram), with the signed
 * extremes. R starts at the first batch's largest magnitude and doubles, merging bin pairs, when a
 * later value exceeds it, so one pass over the calibration set suffices and no count moves
 * between bins approximately.
 */
final class AbsHistogram {
  static final int BINS = 2048;

  final long[] counts = new long[BINS];
  float width;
  long total;
  float min = Float.POSITIVE_INFINITY;
  float max = Float.NEGATIVE_INFINITY;

  void add(float[] x, int count) {
    float absMax = 0;
    for (int i = 0; i < count; i++) {
      min = Math.min(min, x[i]);
      max = Math.max(max, x[i]);
      absMax = Math.max(absMax, Math.abs(x[i]));
    }
    if (width == 0) {
      if (absMax == 0) {
        counts[0] += count;
        total += count;
        return;
      }
      width = absMax / BINS;
    }
    while (absMax > width * BINS) {
      for (int b = 0; b < BINS / 2; b++) {
        counts[b] = counts[2 * b] + counts[2 * b + 1];
      }
      java.util.Arrays.fill(counts, BINS / 2, BINS, 0);
      width *= 2;
    }
    for (int i = 0; i < count; i++) {
      counts[Math.min(BINS - 1, (int) (Math.abs(x[i]) / width))]++;
    }
    total += count;
  }

  /** The observed range clipped to [-t, t] (and containing 0). */
  Range clipped(float t) {
    if (total == 0 || min > max) {
      return new Range(0, 0);
    }
    return new Range(Math.min(0, Math.max(min, -t)), Math.max(0, Math.min(max, t)));
  }
}
