package dev.condense.prune;

import java.util.stream.IntStream;

/**
 * ThiNet's channel selection (Luo et al. 2017, §3.2, Algorithm 1): layer i's filters are judged
 * by layer i+1. For sampled outputs ŷ = Σⱼ x̂ⱼ of layer i+1 (one output channel at one location of
 * one image each; x̂ⱼ is input channel j's part of it), greedily grow the removed set T by the
 * channel that keeps Σ_samples (Σ_{j∈T} x̂ⱼ)² smallest, so the removed channels' contributions
 * nearly cancel. Then the kept channels are rescaled by least squares (§3.3, Eq. 6) so that they
 * alone reproduce ŷ.
 */
public final class ThiNetSelection {
  private ThiNetSelection() {}

  /**
   * The channels to remove, in the order the greedy search took them.
   *
   * @param xhat contributions, row-major {@code samples × channels}
   * @param remove how many channels to remove, 0 ≤ remove < channels
   */
  public static int[] removed(float[] xhat, int samples, int channels, int remove) {
    if (xhat.length != (long) samples * channels || remove < 0 || remove >= channels) {
      throw new IllegalArgumentException("remove " + remove + " of " + channels + " channels over " + samples + " samples");
    }
    double[] sum = new double[samples]; // Σ_{j∈T} x̂ⱼ per sample
    boolean[] taken = new boolean[channels];
    int[] order = new int[remove];
    for (int t = 0; t < remove; t++) {
      int best = -1;
      double bestValue = Double.POSITIVE_INFINITY;
      for (int j = 0; j < channels; j++) {
        if (taken[j]) {
          continue;
        }
        double v = 0;
        for (int s = 0; s < samples; s++) {
          double e = sum[s] + xhat[s * channels + j];
          v += e * e;
        }
        if (v < bestValue) {
          bestValue = v;
          best = j;
        }
      }
      taken[best] = true;
      order[t] = best;
      for (int s = 0; s < samples; s++) {
        sum[s] += xhat[s * channels + best];
      }
    }
    return order;
  }

  /**
   * Least-squares scales ŵ of the kept channels (Eq. 6): {@code min ‖ŷ − X̂_kept·ŵ‖²} with
   * ŷ = Σ over all channels.
   *
   * @param kept the kept channels, ascending
   */
  public static double[] scales(float[] xhat, int samples, int channels, int[] kept) {
    double[] a = new double[samples * kept.length];
    double[] y = new double[samples];
    for (int s = 0; s < samples; s++) {
      double t = 0;
      for (int j = 0; j < channels; j++) {
        t += xhat[s * channels + j];
      }
      y[s] = t;
      for (int i = 0; i < kept.length; i++) {
        a[s * kept.length + i] = xhat[s * channels + kept[i]];
      }
    }
    return LeastSquares.solve(a, samples, kept.length, y, 1);
  }

  /** The channels not in {@code removed}, ascending. */
  public static int[] complement(int channels, int[] removed) {
    boolean[] gone = new boolean[channels];
    for (int j : removed) {
      gone[j] = true;
    }
    return IntStream.range(0, channels).filter(j -> !gone[j]).toArray();
  }
}
