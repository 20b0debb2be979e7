package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Trained quantization's update (Deep Compression §3.3, Eq. 3): each centroid moves by the sum of
 * its weights' gradients (or their mean, for Gong-style codebooks over whole dense layers); the
 * weights are rebuilt from the centroids; a weight with index −1 (pruned) stays exactly 0.0.
 */
class SharedStepTest {
  // Six weights, two centroids; weight 4 is pruned. Residual stage: weight 5 adds centroid 2.
  static final int[][] INDICES = {{0, 1, 0, 1, -1, 0}, {-1, -1, -1, -1, -1, 2}};
  static final float[] GRAD = {0.5f, -1f, 1.5f, 2f, 9f, -0.5f};

  @Test
  void centroidsMoveByTheSumOfTheirWeightsGradients() {
    float[] table = {1f, -2f, 0.25f};
    float[] w = new float[6];
    float[] v = new float[3];
    Sgd.sharedStep(w, GRAD, INDICES, table, v, 0.1f, 0f, false);
    // centroid 0: weights 0, 2, 5 → 0.5 + 1.5 − 0.5 = 1.5; centroid 1: −1 + 2 = 1; centroid 2: weight 5 → −0.5.
    assertThat(table).containsExactly(1f - 0.1f * 1.5f, -2f - 0.1f * 1f, 0.25f + 0.1f * 0.5f);
    assertThat(w).containsExactly(table[0], table[1], table[0], table[1], 0f, table[0] + table[2]);
  }

  @Test
  void averagedCentroidsMoveByTheMeanGradient() {
    float[] table = {1f, -2f, 0.25f};
    float[] w = new float[6];
    float[] v = new float[3];
    Sgd.sharedStep(w, GRAD, INDICES, table, v, 0.1f, 0f, true);
    assertThat(table).containsExactly(1f - 0.1f * (1.5f / 3), -2f - 0.1f * (1f / 2), 0.25f + 0.1f * 0.5f);
    assertThat(w[4]).isZero();
  }

  @Test
  void momentumCarriesOverSteps() {
    float[] table = {0f, 0f, 0f};
    float[] w = new float[6];
    float[] v = new float[3];
    Sgd.sharedStep(w, GRAD, INDICES, table, v, 1f, 0.5f, false);
    Sgd.sharedStep(w, GRAD, INDICES, table, v, 1f, 0.5f, false);
    // v1 = g, v2 = 0.5·g + g: table = −(g + 1.5·g) = −2.5·g for centroid 0 (g = 1.5).
    assertThat(table[0]).isEqualTo(-2.5f * 1.5f);
  }
}
