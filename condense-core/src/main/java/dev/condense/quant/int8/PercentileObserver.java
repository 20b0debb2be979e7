package dev.condense.quant.int8;

/**
 * Clips magnitudes at a percentile of |x| over the calibration set (e.g. 99.99: the largest
 * 0.01% saturate), read from a 2048-bin histogram at the upper edge of the bin that reaches it.
 */
public final class PercentileObserver implements Observer {
  private final double percentile;
  private final AbsHistogram histogram = new AbsHistogram();

  PercentileObserver(double percentile) {
    this.percentile = percentile;
  }

  /** Percentile calibration; {@code percentile} in (0, 100]. */
  public static Factory factory(double percentile) {
    if (!(percentile > 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
    }
    return new Factory("percentile=" + percentile, () -> new PercentileObserver(percentile));
  }

  @Override
  public void observe(float[] x, int count) {
    histogram.add(x, count);
  }

  @Override
  public Range range() {
    double need = percentile / 100 * histogram.total;
    long seen = 0;
    for (int b = 0; b < AbsHistogram.BINS; b++) {
      seen += histogram.counts[b];
      if (seen >= need) {
        return histogram.clipped((b + 1) * histogram.width);
      }
    }
    return histogram.clipped(Float.MAX_VALUE);
  }
}
