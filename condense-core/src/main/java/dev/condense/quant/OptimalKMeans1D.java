package dev.condense.quant;

import dev.condense.CondenseException;
import java.util.Arrays;

/**
 * Exact k-means on scalars: the clustering of least inertia, not a local optimum. Sorted, the
 * optimal clusters are contiguous ranges, so dynamic programming over "the first j values in m
 * clusters" finds them (Wang &amp; Song 2011, Ckmeans.1d.dp). The best split point of a row is
 * monotone in j, which lets divide and conquer fill a row in O(n log n): O(k n log n) in all, with
 * a k × n table of split points to walk back. That table is why it pays only below a budget
 * ({@link #affordable}); above it, {@link KMeans1D}'s Lloyd iterations are the tool.
 */
public final class OptimalKMeans1D {
  /** Largest k · n the split-point table may take (64 MiB of ints). */
  public static final long MAX_CELLS = 1L << 24;

  private final double[] x;
  private final double[] s1;
  private final double[] s2;

  private OptimalKMeans1D(float[] values) {
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    x = new double[n];
    s1 = new double[n + 1];
    s2 = new double[n + 1];
    for (int i = 0; i < n; i++) {
      x[i] = sorted[i];
      s1[i + 1] = s1[i] + x[i];
      s2[i + 1] = s2[i] + x[i] * x[i];
    }
  }

  /** Whether the exact fit of {@code n} values into {@code k} clusters stays within the budget. */
  public static boolean affordable(int n, int k) {
    return (long) n * k <= MAX_CELLS;
  }

  /** The k centroids (sorted) of least inertia; fewer when there are fewer distinct values. */
  public static float[] fit(float[] values, int k) {
    if (k < 1) {
      throw new CondenseException("k-means needs k ≥ 1, got " + k);
    }
    if (!affordable(values.length, k)) {
      throw new CondenseException("exact 1-D k-means of " + values.length + " values into " + k
          + " clusters needs more than " + MAX_CELLS + " table cells; use Lloyd's k-means");
    }
    return values.length == 0 ? new float[0] : new OptimalKMeans1D(values).solve(k);
  }

  /** Sum of squared deviations of x[i..j) from their mean. */
  private double cost(int i, int j) {
    double s = s1[j] - s1[i];
    return Math.max(0, s2[j] - s2[i] - s * s / (j - i));
  }

  private float[] solve(int k) {
    int n = x.length;
    int distinct = 1;
    for (int i = 1; i < n; i++) {
      distinct += x[i] != x[i - 1] ? 1 : 0;
    }
    k = Math.min(k, distinct);
    // prev[j]: least inertia of x[0..j) in m − 1 clusters; cur[j]: in m clusters.
    double[] prev = new double[n + 1];
    double[] cur = new double[n + 1];
    int[][] split = new int[k][];
    for (int j = 1; j <= n; j++) {
      prev[j] = cost(0, j);
    }
    for (int m = 2; m <= k; m++) {
      Arrays.fill(cur, Double.POSITIVE_INFINITY);
      split[m - 1] = new int[n + 1];
      fill(m, m, n, m - 1, n - 1, prev, cur, split[m - 1]);
      double[] t = prev;
      prev = cur;
      cur = t;
    }
    // Walk back: the last cluster of row m starts at split[m − 1][end].
    float[] c = new float[k];
    int end = n;
    for (int m = k; m >= 1; m--) {
      int begin = m == 1 ? 0 : split[m - 1][end];
      c[m - 1] = (float) ((s1[end] - s1[begin]) / (end - begin));
      end = begin;
    }
    Arrays.sort(c);
    return c;
  }

  /**
   * cur[j] for j in [lo, hi] with m clusters, knowing the best split of each lies in
   * [optLo, optHi] (the split is monotone in j), by divide and conquer on the middle j.
   */
  private void fill(int m, int lo, int hi, int optLo, int optHi, double[] prev, double[] cur, int[] split) {
    if (lo > hi) {
      return;
    }
    int mid = (lo + hi) >>> 1;
    double best = Double.POSITIVE_INFINITY;
    int arg = optLo;
    for (int i = optLo, last = Math.min(mid - 1, optHi); i <= last; i++) {
      double v = prev[i] + cost(i, mid);
      if (v < best) {
        best = v;
        arg = i;
      }
    }
    cur[mid] = best;
    split[mid] = arg;
    fill(m, lo, mid - 1, optLo, arg, prev, cur, split);
    fill(m, mid + 1, hi, arg, optHi, prev, cur, split);
  }
}
