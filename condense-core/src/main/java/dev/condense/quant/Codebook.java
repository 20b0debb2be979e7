package dev.condense.quant;

import dev.condense.graph.WeightAnnotation;

/**
 * A layer's shared weights (Deep Compression §3.1): {@code centroids} and, for every weight, the
 * index of its centroid, or -1 for a pruned weight (exactly zero, outside the codebook). The
 * weight tensor is {@code w[i] = centroids[index[i]]}.
 */
public record Codebook(float[] centroids, int[] index) {

  /** The weights the codebook stands for. */
  public float[] decode() {
    return annotation().decode();
  }

  /** The codebook as a weight annotation (see {@link WeightSharing}). */
  public WeightAnnotation.Codebook annotation() {
    return new WeightAnnotation.Codebook(centroids, index);
  }

  /**
   * Shares the non-zero weights of {@code w} among at most {@code k} centroids found by 1-D
   * k-means; zeros (pruned weights) stay zero and get index -1.
   */
  public static Codebook fit(float[] w, int k, KMeans1D.Init init, long seed) {
    int nz = 0;
    for (float v : w) {
      nz += v != 0f ? 1 : 0;
    }
    float[] values = new float[nz];
    int at = 0;
    for (float v : w) {
      if (v != 0f) {
        values[at++] = v;
      }
    }
    float[] c = KMeans1D.fit(values, k, init, seed, 300).centroids();
    for (int j = 0; j < c.length; j++) {
      if (c[j] == 0f) {
        c[j] = Float.MIN_NORMAL; // 0.0 means "pruned"; a shared weight must stay non-zero
      }
    }
    int[] index = new int[w.length];
    for (int i = 0; i < w.length; i++) {
      index[i] = w[i] == 0f ? -1 : KMeans1D.nearest(c, w[i]);
    }
    return new Codebook(c, index);
  }
}
