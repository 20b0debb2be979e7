package dev.condense.quant;

import dev.condense.CondenseException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Lloyd's k-means on scalars, for Deep Compression's per-layer weight sharing (§3.1). With the
 * values sorted once, every cluster is a contiguous range between the midpoints of neighbouring
 * centroids, so an iteration is k binary searches and k prefix-sum differences: O(k log n)
 * instead of O(n k).
 *
 * <p>Initialisations (Deep Compression §3.2): LINEAR spaces the centroids evenly over [min, max]
 * (the paper's best: it keeps the rare large weights, which matter most, represented); DENSITY
 * spaces them evenly over the distribution's CDF; RANDOM (Forgy) picks k distinct values with a
 * seeded generator; PLUSPLUS is greedy k-means++ (lowest inertia, the right start when the goal is
 * the k-means objective itself, as in Gong et al.'s scalar quantization).
 */
public final class KMeans1D {
  private KMeans1D() {}

  /** Where the centroids start. */
  public enum Init { LINEAR, DENSITY, RANDOM, PLUSPLUS }

  /** The result: sorted centroids and the iterations Lloyd took. */
  public record Result(float[] centroids, int iterations) {}

  public static Result fit(float[] values, int k, Init init, long seed, int maxIterations) {
    if (k < 1) {
      throw new CondenseException("k-means needs k ≥ 1, got " + k);
    }
    if (values.length == 0) {
      return new Result(new float[0], 0);
    }
    float[] x = values.clone();
    Arrays.sort(x);
    int distinct = 1;
    for (int i = 1; i < x.length; i++) {
      distinct += x[i] != x[i - 1] ? 1 : 0;
    }
    k = Math.min(k, distinct);
    double[] prefix = new double[x.length + 1];
    for (int i = 0; i < x.length; i++) {
      prefix[i + 1] = prefix[i] + x[i];
    }
    double[] c = start(x, k, init, seed);
    int iter = 0;
    int[] ends = new int[k];
    while (iter < maxIterations) {
      iter++;
      boolean moved = false;
      int begin = 0;
      for (int j = 0; j < k; j++) {
        int end = j == k - 1 ? x.length : upperBound(x, (c[j] + c[j + 1]) / 2);
        end = Math.max(end, begin);
        ends[j] = end;
        if (end > begin) {
          double mean = (prefix[end] - prefix[begin]) / (end - begin);
          if (mean != c[j]) {
            moved = true;
            c[j] = mean;
          }
        }
        begin = end;
      }
      Arrays.sort(c);
      if (!moved) {
        break;
      }
    }
    float[] out = new float[k];
    for (int j = 0; j < k; j++) {
      out[j] = (float) c[j];
    }
    Arrays.sort(out);
    return new Result(out, iter);
  }

  private static double[] start(float[] sorted, int k, Init init, long seed) {
    double[] c = new double[k];
    int n = sorted.length;
    switch (init) {
      case LINEAR -> {
        double lo = sorted[0];
        double hi = sorted[n - 1];
        for (int j = 0; j < k; j++) {
          c[j] = k == 1 ? (lo + hi) / 2 : lo + (hi - lo) * j / (k - 1);
        }
      }
      case DENSITY -> {
        for (int j = 0; j < k; j++) {
          c[j] = sorted[(int) Math.min(n - 1, Math.floor((j + 0.5) * n / k))];
        }
      }
      case PLUSPLUS -> {
        try (dev.condense.numeric.Parallel one = new dev.condense.numeric.Parallel(1)) {
          float[] f = KMeans.seedPlusPlus(sorted, n, 1, k, seed, one);
          for (int j = 0; j < k; j++) {
            c[j] = f[j];
          }
        }
      }
      case RANDOM -> {
        // k distinct values, drawn uniformly from the distinct values of the data.
        float[] uniq = distinctSorted(sorted);
        SplittableRandom r = new SplittableRandom(seed);
        int[] idx = new int[uniq.length];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = i;
        }
        for (int j = 0; j < k; j++) {
          int pick = j + r.nextInt(idx.length - j);
          int t = idx[j];
          idx[j] = idx[pick];
          idx[pick] = t;
          c[j] = uniq[idx[j]];
        }
      }
    }
    Arrays.sort(c);
    return c;
  }

  private static float[] distinctSorted(float[] sorted) {
    float[] u = new float[sorted.length];
    int m = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        u[m++] = sorted[i];
      }
    }
    return Arrays.copyOf(u, m);
  }

  /** First index whose value is greater than {@code v}. */
  private static int upperBound(float[] x, double v) {
    int lo = 0;
    int hi = x.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (x[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Index of the centroid nearest to {@code v} (centroids sorted; ties go to the lower one). */
  public static int nearest(float[] centroids, float v) {
    int lo = 0;
    int hi = centroids.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (v > (centroids[mid] + (double) centroids[mid + 1]) / 2) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Sum of squared distances of the values to their nearest centroid. */
  public static double inertia(float[] values, float[] centroids) {
    double s = 0;
    for (float v : values) {
      double d = v - centroids[nearest(centroids, v)];
      s += d * d;
    }
    return s;
  }
}
