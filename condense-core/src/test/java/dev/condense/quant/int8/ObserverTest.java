package dev.condense.quant.int8;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The calibration observers on seeded samples, against the exact statistics of the same values. */
class ObserverTest {

  /** Laplace-distributed activations (scale 1) with a few outliers at ±50, in batches. */
  private static float[][] batches(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] b = new float[10][10_000];
    for (float[] x : b) {
      for (int i = 0; i < x.length; i++) {
        double u = r.nextDouble() - 0.5;
        x[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
      }
    }
    b[3][7] = 50f;
    b[8][1] = -50f;
    return b;
  }

  private static Range observe(Observer o, float[][] batches) {
    for (float[] x : batches) {
      o.observe(x, x.length);
    }
    return o.range();
  }

  @Test
  void minMaxKeepsEveryValueAndZero() {
    Range r = observe(MinMaxObserver.factory().create(), new float[][] {{0.5f, 2f}, {1f, 3f}});
    assertThat(r).isEqualTo(new Range(0f, 3f));
    assertThat(observe(MinMaxObserver.factory().create(), batches(1))).isEqualTo(new Range(-50f, 50f));
  }

  @Test
  void percentileClipsAtThatPercentileOfTheMagnitudesWithinOneBin() {
    float[][] b = batches(2);
    double[] sorted = Arrays.stream(b).flatMapToDouble(x -> {
      double[] d = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        d[i] = Math.abs(x[i]);
      }
      return Arrays.stream(d);
    }).sorted().toArray();
    double exact = sorted[(int) Math.ceil(0.999 * sorted.length) - 1];
    Range r = observe(PercentileObserver.factory(99.9).create(), b);
    double bin = 50.0 / AbsHistogram.BINS * 2; // the range may have doubled once past the first batch's max
    assertThat((double) r.max()).isBetween(exact, exact + bin);
    assertThat((double) -r.min()).isBetween(exact, exact + bin);
  }

  @Test
  void entropyClipsTheOutliersButKeepsTheBulk() {
    float[][] b = batches(3);
    Range r = observe(EntropyObserver.factory().create(), b);
    // the outliers at ±50 are far outside; |x| of a unit Laplace exceeds 7 for 0.1% of the values
    assertThat(r.max()).isLessThan(25f).isGreaterThan(4f);
    assertThat(r.min()).isEqualTo(-r.max());
  }

  @Test
  void entropyKeepsTheWholeRangeOfAUniformDistribution() {
    long[] bins = new long[AbsHistogram.BINS];
    Arrays.fill(bins, 1000);
    assertThat(EntropyObserver.threshold(bins, EntropyObserver.LEVELS)).isGreaterThan(AbsHistogram.BINS - 20);
  }

  @Test
  void histogramDoublingMergesBinsExactly() {
    AbsHistogram h = new AbsHistogram();
    h.add(new float[] {1f, 0.5f, -0.25f}, 3);
    h.add(new float[] {3.5f}, 1);
    assertThat(h.width).isEqualTo(4f / AbsHistogram.BINS);
    assertThat(Arrays.stream(h.counts).sum()).isEqualTo(4);
    assertThat(h.counts[AbsHistogram.BINS / 4 - 1]).as("1.0 sat in the last bin of [0, 1], now bin 511 of [0, 4]").isEqualTo(1);
  }
}
