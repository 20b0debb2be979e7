package dev.condense.prune;

/**
 * The LASSO, {@code min_β (1/2n)·‖y − Xβ‖² + α·‖β‖₁} (scikit-learn's {@code Lasso} objective),
 * solved by cyclic coordinate descent on the Gram form: only {@code G = XᵀX} and {@code b = Xᵀy}
 * are needed. Channel pruning (He et al. 2017, Eq. 3) has one feature per input channel — tens to
 * hundreds — but millions of rows (samples × output channels), so the Gram form makes every sweep
 * cost O(c²) however many samples were taken.
 */
public final class Lasso {
  /** The solution and how many full sweeps over the coordinates it took. */
  public record Result(double[] beta, int sweeps) {
    /** Number of non-zero coefficients. */
    public int nonZeros() {
      int k = 0;
      for (double v : beta) {
        if (v != 0) {
          k++;
        }
      }
      return k;
    }
  }

  private final double[][] gram;
  private final double[] xty;
  private final long rows;

  /**
   * @param gram XᵀX (c × c, symmetric)
   * @param xty Xᵀy
   * @param rows n, the number of rows of X (the objective's 1/2n)
   */
  public Lasso(double[][] gram, double[] xty, long rows) {
    if (gram.length != xty.length || rows < 1) {
      throw new IllegalArgumentException("gram is " + gram.length + "x?, xty has " + xty.length + ", rows " + rows);
    }
    this.gram = gram;
    this.xty = xty;
    this.rows = rows;
  }

  /** The problem for a row-major {@code X} ({@code rows × cols}) and y, Gram form computed here. */
  public static Lasso fromRows(double[] x, double[] y, int rows, int cols) {
    NormalEquations ne = NormalEquations.of(x, rows, cols, y, 1);
    double[][] gram = new double[cols][];
    for (int i = 0; i < cols; i++) {
      gram[i] = java.util.Arrays.copyOfRange(ne.ata(), i * cols, (i + 1) * cols);
    }
    return new Lasso(gram, ne.atb(), rows);
  }

  /** Number of features. */
  public int features() {
    return xty.length;
  }

  /** The smallest α at which every coefficient is zero: max |bⱼ| / n. */
  public double alphaMax() {
    double m = 0;
    for (double v : xty) {
      m = Math.max(m, Math.abs(v));
    }
    return m / rows;
  }

  /**
   * Solves for {@code alpha}, starting from {@code start} (a warm start; null for zeros), until
   * the largest coordinate change in a sweep is below {@code tol} × the largest coefficient.
   */
  public Result solve(double alpha, double[] start, double tol, int maxSweeps) {
    int c = xty.length;
    double[] beta = start == null ? new double[c] : start.clone();
    // r[j] = bⱼ − Σₖ Gⱼₖ βₖ, kept up to date so one coordinate update costs O(c).
    double[] r = xty.clone();
    for (int j = 0; j < c; j++) {
      if (beta[j] != 0) {
        for (int k = 0; k < c; k++) {
          r[k] -= gram[k][j] * beta[j];
        }
      }
    }
    double threshold = alpha * rows;
    int sweep = 0;
    while (sweep < maxSweeps) {
      sweep++;
      double maxChange = 0;
      double maxBeta = 0;
      for (int j = 0; j < c; j++) {
        double gjj = gram[j][j];
        double old = beta[j];
        double nu = 0;
        if (gjj > 0) {
          double z = r[j] + gjj * old;
          nu = Math.signum(z) * Math.max(Math.abs(z) - threshold, 0) / gjj;
        }
        if (nu != old) {
          double d = nu - old;
          for (int k = 0; k < c; k++) {
            r[k] -= gram[k][j] * d;
          }
          beta[j] = nu;
          maxChange = Math.max(maxChange, Math.abs(d));
        }
        maxBeta = Math.max(maxBeta, Math.abs(nu));
      }
      if (maxBeta == 0 || maxChange <= tol * maxBeta) {
        break;
      }
    }
    return new Result(beta, sweep);
  }
}
