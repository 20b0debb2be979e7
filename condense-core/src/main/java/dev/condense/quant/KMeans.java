package dev.condense.quant;

import dev.condense.CondenseException;
import dev.condense.numeric.Blas;
import dev.condense.numeric.Parallel;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means on d-dimensional vectors, for product and residual quantization (Gong et al. 2014):
 * greedy k-means++ seeding (as scikit-learn: 2 + ln k candidates per new centre, the one that
 * lowers the potential most wins), then Lloyd iterations until the centres move less than
 * {@code tol} × the data's mean variance or no point changes cluster.
 *
 * <p>Distances come from a matrix product: for a block of points X and the centres C,
 * ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖², with X·Cᵀ from the engine's GEMM. Blocks are spread over the
 * worker threads; each thread sums its own points into private accumulators that are added in a
 * fixed order, so a seed gives the same result on every run with the same thread count.
 */
public final class KMeans {
  private static final int BLOCK = 2048;

  private final Blas blas;
  private final Parallel par;

  public KMeans(Blas blas, Parallel par) {
    this.blas = blas;
    this.par = par;
  }

  /** Centres (k × d, row-major), the cluster of every point, the inertia and the iterations run. */
  public record Result(float[] centroids, int k, int d, int[] assignment, double inertia, int iterations) {}

  public Result fit(float[] x, int n, int d, int k, long seed, int maxIterations, double tol) {
    if (n < 1 || d < 1 || k < 1 || (long) n * d > x.length) {
      throw new CondenseException("k-means needs n ≥ 1 points of d ≥ 1 dimensions and k ≥ 1, got n=" + n
          + " d=" + d + " k=" + k);
    }
    k = Math.min(k, n);
    float[] xx = squaredNorms(x, n, d);
    float[] c = seedPlusPlus(x, n, d, k, seed, par);
    int[] assign = new int[n];
    Arrays.fill(assign, -1);
    float[] dist = new float[n];
    double threshold = tol * meanVariance(x, n, d);
    int iter = 0;
    while (iter < maxIterations) {
      iter++;
      int changed = assign(x, xx, n, d, c, k, assign, dist);
      float[] next = update(x, n, d, k, assign, dist, c);
      double shift = 0;
      for (int i = 0; i < c.length; i++) {
        double t = next[i] - c[i];
        shift += t * t;
      }
      c = next;
      if (changed == 0 || shift <= threshold) {
        break;
      }
    }
    assign(x, xx, n, d, c, k, assign, dist);
    double inertia = 0;
    for (int i = 0; i < n; i++) {
      inertia += dist[i];
    }
    return new Result(c, k, d, assign, inertia, iter);
  }

  private static float[] squaredNorms(float[] x, int n, int d) {
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      double t = 0;
      for (int j = 0; j < d; j++) {
        double v = x[i * d + j];
        t += v * v;
      }
      s[i] = (float) t;
    }
    return s;
  }

  private static double meanVariance(float[] x, int n, int d) {
    double total = 0;
    for (int j = 0; j < d; j++) {
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        double v = x[i * d + j];
        sum += v;
        sq += v * v;
      }
      double mean = sum / n;
      total += sq / n - mean * mean;
    }
    return total / d;
  }

  /** Squared distance of point i to centre j, computed directly. */
  private static double distance(float[] x, int i, float[] c, int j, int d) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      double v = x[i * d + t] - c[j * d + t];
      s += v * v;
    }
    return s;
  }

  /**
   * Greedy k-means++ (Arthur & Vassilvitskii 2007; scikit-learn's variant with 2 + ln k trials):
   * k starting centres, k × d row-major. Each step draws its candidates in proportion to the
   * current squared distances and keeps the one that lowers the total most (distances as
   * ‖x‖² + ‖c‖² − 2x·c, the candidates' norms computed once).
   */
  static float[] seedPlusPlus(float[] x, int n, int d, int k, long seed, Parallel par) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] xx = squaredNorms(x, n, d);
    float[] c = new float[k * d];
    int first = r.nextInt(n);
    System.arraycopy(x, first * d, c, 0, d);
    float[] closest = new float[n];
    for (int i = 0; i < n; i++) {
      closest[i] = (float) distance(x, i, c, 0, d);
    }
    int trials = Math.min(n, 2 + (int) Math.log(k));
    float[] cand = new float[trials * d];
    float[] candNorm = new float[trials];
    float[] minima = new float[n * trials];
    double[] cumulative = new double[n];
    for (int j = 1; j < k; j++) {
      double potential = 0;
      for (int i = 0; i < n; i++) {
        potential += closest[i];
        cumulative[i] = potential;
      }
      int[] picks = new int[trials];
      for (int t = 0; t < trials; t++) {
        picks[t] = sample(cumulative, potential, r);
        System.arraycopy(x, picks[t] * d, cand, t * d, d);
        candNorm[t] = xx[picks[t]];
      }
      double[][] pot = new double[par.threads()][trials];
      par.forParts(n, (part, from, to) -> {
        double[] pp = pot[part];
        for (int p = from; p < to; p++) {
          float cl = closest[p];
          float xp = xx[p];
          int xo = p * d;
          for (int t = 0; t < trials; t++) {
            float dot = 0f;
            for (int q = 0, co = t * d; q < d; q++) {
              dot += x[xo + q] * cand[co + q];
            }
            float dist = xp + candNorm[t] - 2 * dot;
            float m = dist < cl ? (dist > 0f ? dist : 0f) : cl;
            minima[p * trials + t] = m;
            pp[t] += m;
          }
        }
      });
      int best = 0;
      double bestPot = Double.POSITIVE_INFINITY;
      for (int t = 0; t < trials; t++) {
        double total = 0;
        for (double[] pp : pot) {
          total += pp[t];
        }
        if (total < bestPot) {
          bestPot = total;
          best = t;
        }
      }
      System.arraycopy(cand, best * d, c, j * d, d);
      for (int i = 0; i < n; i++) {
        closest[i] = minima[i * trials + best];
      }
    }
    return c;
  }

  /** A point drawn with probability proportional to its distance to the nearest centre. */
  private static int sample(double[] cumulative, double total, SplittableRandom r) {
    if (!(total > 0)) {
      return r.nextInt(cumulative.length);
    }
    double u = r.nextDouble() * total;
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Assigns every point to its nearest centre; writes squared distances; returns how many points
   * changed cluster.
   */
  private int assign(float[] x, float[] xx, int n, int d, float[] c, int k, int[] assign, float[] dist) {
    float[] cc = new float[k];
    for (int j = 0; j < k; j++) {
      double s = 0;
      for (int t = 0; t < d; t++) {
        s += (double) c[j * d + t] * c[j * d + t];
      }
      cc[j] = (float) s;
    }
    int blocks = (n + BLOCK - 1) / BLOCK;
    int[] changed = new int[par.threads()];
    par.forParts(blocks, (part, b0, b1) -> {
      float[] dot = new float[BLOCK * k];
      for (int blk = b0; blk < b1; blk++) {
        int start = blk * BLOCK;
        int rows = Math.min(BLOCK, n - start);
        blas.gemm(false, true, rows, k, d, 1f, x, start * d, d, c, 0, d, 0f, dot, 0, k);
        for (int i = 0; i < rows; i++) {
          int best = 0;
          float bestD = Float.POSITIVE_INFINITY;
          int row = i * k;
          for (int j = 0; j < k; j++) {
            float v = cc[j] - 2 * dot[row + j];
            if (v < bestD) {
              bestD = v;
              best = j;
            }
          }
          int p = start + i;
          if (assign[p] != best) {
            changed[part]++;
            assign[p] = best;
          }
          dist[p] = Math.max(0f, bestD + xx[p]);
        }
      }
    });
    int total = 0;
    for (int v : changed) {
      total += v;
    }
    return total;
  }

  /** New centres: the means of their points; an empty cluster takes the point farthest from its centre. */
  private float[] update(float[] x, int n, int d, int k, int[] assign, float[] dist, float[] old) {
    int parts = Math.min(par.threads(), n);
    double[][] sums = new double[parts][k * d];
    long[][] counts = new long[parts][k];
    par.forParts(n, (part, a, b) -> {
      double[] s = sums[part];
      long[] cnt = counts[part];
      for (int i = a; i < b; i++) {
        int j = assign[i];
        cnt[j]++;
        for (int t = 0; t < d; t++) {
          s[j * d + t] += x[i * d + t];
        }
      }
    });
    float[] c = new float[k * d];
    boolean[] taken = new boolean[n];
    for (int j = 0; j < k; j++) {
      long cnt = 0;
      for (int p = 0; p < parts; p++) {
        cnt += counts[p][j];
      }
      if (cnt == 0) {
        int far = 0;
        for (int i = 1; i < n; i++) {
          if (!taken[i] && dist[i] > dist[far]) {
            far = i;
          }
        }
        taken[far] = true;
        System.arraycopy(x, far * d, c, j * d, d);
        continue;
      }
      for (int t = 0; t < d; t++) {
        double s = 0;
        for (int p = 0; p < parts; p++) {
          s += sums[p][j * d + t];
        }
        c[j * d + t] = (float) (s / cnt);
      }
    }
    return c;
  }
}
