package dev.condense.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KMeans1DTest {
  static float[] mixture(long seed, int n) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * 0.05 + (i % 3 - 1) * 1.0);
    }
    return v;
  }

  @Test
  void findsWellSeparatedClustersFromLinearAndDensityStarts() {
    // (A random start may put two centroids in one cluster: Lloyd then stops in a local optimum.)
    float[] v = mixture(1, 3000);
    for (KMeans1D.Init init : new KMeans1D.Init[] {KMeans1D.Init.LINEAR, KMeans1D.Init.DENSITY}) {
      float[] c = KMeans1D.fit(v, 3, init, 7, 100).centroids();
      assertThat(c).hasSize(3);
      assertThat(c[0]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(0.02f));
      assertThat(c[1]).isCloseTo(0f, org.assertj.core.data.Offset.offset(0.02f));
      assertThat(c[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(0.02f));
    }
  }

  @Test
  void lloydConvergesToAFixedPointAndIsDeterministic() {
    float[] v = mixture(2, 5000);
    KMeans1D.Result a = KMeans1D.fit(v, 16, KMeans1D.Init.RANDOM, 3, 500);
    KMeans1D.Result b = KMeans1D.fit(v, 16, KMeans1D.Init.RANDOM, 3, 500);
    assertThat(a.centroids()).containsExactly(b.centroids());
    // At a fixed point every centroid is the mean of the values nearest to it.
    double[] sum = new double[16];
    int[] count = new int[16];
    for (float x : v) {
      int j = KMeans1D.nearest(a.centroids(), x);
      sum[j] += x;
      count[j]++;
    }
    for (int j = 0; j < 16; j++) {
      if (count[j] > 0) {
        assertThat((double) a.centroids()[j]).isCloseTo(sum[j] / count[j], org.assertj.core.data.Offset.offset(1e-5));
      }
    }
    assertThat(KMeans1D.inertia(v, a.centroids())).isLessThan(KMeans1D.inertia(v, KMeans1D.fit(v, 4, KMeans1D.Init.LINEAR, 0, 500).centroids()));
  }

  @Test
  void codebookKeepsZerosOutAndAtZero() {
    float[] w = {0f, 0.5f, -0.5f, 0f, 0.51f, -0.49f, 2f};
    Codebook cb = Codebook.fit(w, 3, KMeans1D.Init.LINEAR, 0);
    assertThat(cb.index()[0]).isEqualTo(-1);
    assertThat(cb.index()[3]).isEqualTo(-1);
    float[] d = cb.decode();
    assertThat(d[0]).isEqualTo(0f);
    assertThat(d[1]).isEqualTo(d[4]);
    assertThat(d[2]).isEqualTo(d[5]);
    assertThat(d[6]).isEqualTo(2f);
    assertThat(KMeans1D.nearest(new float[] {-1, 0, 1}, 0.49f)).isEqualTo(1);
    assertThat(KMeans1D.nearest(new float[] {-1, 0, 1}, 0.51f)).isEqualTo(2);
  }
}
