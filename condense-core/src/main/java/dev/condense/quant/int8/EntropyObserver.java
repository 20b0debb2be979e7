package dev.condense.quant.int8;

/**
 * Entropy calibration as TensorRT's (Migacz, "8-bit Inference with TensorRT", GTC 2017): of the
 * thresholds at the upper edges of bins 128 to 2048 of the |x| histogram, the one whose clipped
 * distribution P (outliers added to the last bin) loses the least information, in Kullback-Leibler
 * divergence, when its bins are merged into 128 levels and spread back over the bins that were
 * non-zero (Q). TensorRT quantizes to 128 levels of one sign (symmetric int8); a tensor without
 * negative values here gets all 256 levels of the asymmetric uint8 or int8 range, so Q has 256.
 */
public final class EntropyObserver implements Observer {
  /** Quantized levels of one sign (TensorRT's 128 for int8). */
  static final int LEVELS = 128;
  /** Levels of a tensor without negative values, which uses the whole 8-bit range. */
  static final int NON_NEGATIVE_LEVELS = 256;

  private final AbsHistogram histogram = new AbsHistogram();

  /** Entropy calibration. */
  public static Factory factory() {
    return new Factory("entropy", EntropyObserver::new);
  }

  @Override
  public void observe(float[] x, int count) {
    histogram.add(x, count);
  }

  @Override
  public Range range() {
    if (histogram.width == 0) {
      return histogram.clipped(0);
    }
    int levels = histogram.min >= 0 ? NON_NEGATIVE_LEVELS : LEVELS;
    return histogram.clipped((threshold(histogram.counts, levels) + 0.5f) * histogram.width);
  }

  /** The bin index m whose threshold (m + 0.5) bin widths minimises the divergence at {@code levels} levels. */
  static int threshold(long[] bins, int levels) {
    int best = bins.length - 1;
    double bestDivergence = Double.POSITIVE_INFINITY;
    double[] p = new double[bins.length];
    double[] q = new double[bins.length];
    for (int i = levels; i <= bins.length; i++) {
      double outliers = 0;
      for (int b = i; b < bins.length; b++) {
        outliers += bins[b];
      }
      for (int b = 0; b < i; b++) {
        p[b] = bins[b];
      }
      p[i - 1] += outliers;
      java.util.Arrays.fill(q, 0, i, 0);
      for (int level = 0; level < levels; level++) {
        int from = level * i / levels;
        int to = (level + 1) * i / levels;
        double sum = 0;
        int nonZero = 0;
        for (int b = from; b < to; b++) {
          sum += bins[b];
          nonZero += bins[b] != 0 ? 1 : 0;
        }
        for (int b = from; b < to; b++) {
          q[b] = bins[b] != 0 ? sum / nonZero : 0;
        }
      }
      double d = divergence(p, q, i);
      if (d < bestDivergence) {
        bestDivergence = d;
        best = i - 1;
      }
    }
    return best;
  }

  /** KL(P‖Q) over the first {@code n} bins, both normalised; a bin P has and Q lacks costs as if Q held 1e-10. */
  private static double divergence(double[] p, double[] q, int n) {
    double sp = 0;
    double sq = 0;
    for (int b = 0; b < n; b++) {
      sp += p[b];
      sq += q[b];
    }
    if (sp == 0 || sq == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double d = 0;
    for (int b = 0; b < n; b++) {
      if (p[b] > 0) {
        double pb = p[b] / sp;
        double qb = Math.max(q[b] / sq, 1e-10);
        d += pb * Math.log(pb / qb);
      }
    }
    return d;
  }
}
