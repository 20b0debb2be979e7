package dev.condense.prune;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * He et al. 2017's channel selection (§3.1, Eq. 3): a coefficient βᵢ per input channel scales
 * that channel's contribution Zᵢ = Xᵢ·Wᵢᵀ to the layer's sampled output; the LASSO drives the
 * coefficients of the least useful channels to zero. The LASSO strength α is bisected until
 * exactly {@code keep} coefficients are non-zero (the paper raises λ step by step until the
 * count is reached). Channels with β = 0 are the ones to remove.
 */
public final class LassoChannelSelection {
  /** Which channels stay, their coefficients, and the α that selected them. */
  public record Result(int[] kept, double[] beta, double alpha, int bisections) {}

  private static final double TOL = 1e-6;
  private static final int MAX_SWEEPS = 2000;
  private static final int MAX_BISECTIONS = 60;

  private LassoChannelSelection() {}

  /**
   * Selects {@code keep} channels.
   *
   * @param lasso the problem over the channels' contributions (Gram form)
   * @param keep how many channels to keep, 1 ≤ keep ≤ channels
   */
  public static Result select(Lasso lasso, int keep) {
    int c = lasso.features();
    if (keep < 1 || keep > c) {
      throw new IllegalArgumentException("keep " + keep + " of " + c + " channels");
    }
    if (keep == c) {
      return new Result(IntStream.range(0, c).toArray(), lasso.solve(0, null, TOL, MAX_SWEEPS).beta(), 0, 0);
    }
    double lo = 0;
    double hi = lasso.alphaMax();
    double[] loBeta = lasso.solve(0, null, TOL, MAX_SWEEPS).beta();
    double[] warm = loBeta;
    int n = 0;
    while (n < MAX_BISECTIONS) {
      n++;
      double mid = 0.5 * (lo + hi);
      Lasso.Result r = lasso.solve(mid, warm, TOL, MAX_SWEEPS);
      int nz = r.nonZeros();
      if (nz == keep) {
        return new Result(nonZero(r.beta()), r.beta(), mid, n);
      }
      if (nz > keep) {
        lo = mid;
        loBeta = r.beta();
      } else {
        hi = mid;
      }
      warm = r.beta();
    }
    // Ties or a non-monotone path: keep the largest coefficients of the last α that kept too many.
    double[] beta = loBeta.clone();
    Integer[] order = IntStream.range(0, c).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -Math.abs(beta[j])).thenComparingInt(j -> j));
    for (int i = keep; i < c; i++) {
      beta[order[i]] = 0;
    }
    int[] kept = Arrays.stream(order, 0, keep).mapToInt(Integer::intValue).sorted().toArray();
    return new Result(kept, beta, lo, n);
  }

  private static int[] nonZero(double[] beta) {
    return IntStream.range(0, beta.length).filter(j -> beta[j] != 0).toArray();
  }
}
