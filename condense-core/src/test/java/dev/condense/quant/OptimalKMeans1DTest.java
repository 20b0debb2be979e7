package dev.condense.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OptimalKMeans1DTest {

  /** The least inertia over every assignment of n values to k labels (k^n of them). */
  static double bruteForce(float[] x, int k) {
    int n = x.length;
    int[] label = new int[n];
    double best = Double.POSITIVE_INFINITY;
    for (long code = 0, total = (long) Math.pow(k, n); code < total; code++) {
      long c = code;
      for (int i = 0; i < n; i++) {
        label[i] = (int) (c % k);
        c /= k;
      }
      double[] sum = new double[k];
      int[] count = new int[k];
      for (int i = 0; i < n; i++) {
        sum[label[i]] += x[i];
        count[label[i]]++;
      }
      double inertia = 0;
      for (int i = 0; i < n; i++) {
        double d = x[i] - sum[label[i]] / count[label[i]];
        inertia += d * d;
      }
      best = Math.min(best, inertia);
    }
    return best;
  }

  @Test
  void matchesExhaustiveSearchOnSmallSets() {
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 40; trial++) {
      int n = 3 + r.nextInt(6);
      int k = 1 + r.nextInt(3);
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) (r.nextBoolean() ? r.nextGaussian() : r.nextInt(3)); // ties included
      }
      float[] c = OptimalKMeans1D.fit(x, k);
      assertThat(KMeans1D.inertia(x, c)).as("trial %d", trial).isCloseTo(bruteForce(x, k), org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void neverWorseThanLloydFromAnyStart() {
    SplittableRandom r = new SplittableRandom(11);
    float[] w = new float[50_000];
    for (int i = 0; i < w.length; i++) {
      double u = r.nextDouble() - 0.5; // Laplacian, like trained weights
      w[i] = (float) (-0.05 * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
    }
    double exact = KMeans1D.inertia(w, OptimalKMeans1D.fit(w, 16));
    for (KMeans1D.Init init : KMeans1D.Init.values()) {
      double lloyd = KMeans1D.inertia(w, KMeans1D.fit(w, 16, init, 5, 300).centroids());
      assertThat(exact).as(init.name()).isLessThanOrEqualTo(lloyd * (1 + 1e-9));
    }
    assertThat(exact).isLessThan(KMeans1D.inertia(w, KMeans1D.fit(w, 16, KMeans1D.Init.LINEAR, 5, 300).centroids()));
  }

  @Test
  void fewerDistinctValuesThanClustersGiveOneCentroidEach() {
    float[] c = OptimalKMeans1D.fit(new float[] {2, 1, 2, 1, 3}, 8);
    assertThat(c).containsExactly(1f, 2f, 3f);
    assertThat(OptimalKMeans1D.fit(new float[0], 4)).isEmpty();
  }

  @Test
  void refusesWorkBeyondItsBudget() {
    assertThat(OptimalKMeans1D.affordable(1 << 20, 16)).isTrue();
    assertThat(OptimalKMeans1D.affordable(1 << 20, 17)).isFalse();
    assertThatThrownBy(() -> OptimalKMeans1D.fit(new float[1 << 20], 256)).isInstanceOf(CondenseException.class)
        .hasMessageContaining("Lloyd");
    assertThatThrownBy(() -> OptimalKMeans1D.fit(new float[4], 0)).hasMessageContaining("k ≥ 1");
  }
}
