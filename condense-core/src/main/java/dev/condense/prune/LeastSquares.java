package dev.condense.prune;

import dev.condense.CondenseException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * {@code min_X ‖A·X − B‖_F} through the normal equations {@code AᵀA·X = AᵀB}, solved with the SVD
 * pseudo-inverse of the small {@code cols × cols} matrix AᵀA (EJML). The pseudo-inverse keeps the
 * problem well defined when A is rank deficient — as it is when a kept channel is always zero
 * after its ReLU — and forming AᵀA first makes the cost one pass over the samples, which matters
 * because rows (sampled locations) outnumber columns many times. Used for He et al.'s re-fit of
 * the kept weights (Eq. 2 with β fixed) and ThiNet's scaling of the kept channels (Luo et al. §3.3).
 */
public final class LeastSquares {
  private LeastSquares() {}

  /**
   * Solves for X.
   *
   * @param a A, row-major, {@code rows × cols}
   * @param b B, row-major, {@code rows × rhs}
   * @return X, row-major, {@code cols × rhs}
   */
  public static double[] solve(double[] a, int rows, int cols, double[] b, int rhs) {
    if (a.length != (long) rows * cols || b.length != (long) rows * rhs) {
      throw new IllegalArgumentException("A is " + a.length + " values for " + rows + "x" + cols + ", B "
          + b.length + " for " + rows + "x" + rhs);
    }
    if (rows < cols) {
      throw new CondenseException("least squares needs at least as many samples as unknowns: " + rows
          + " samples for " + cols + " unknowns; sample more locations");
    }
    double[] ata = new double[cols * cols];
    double[] atb = new double[cols * rhs];
    for (int r = 0; r < rows; r++) {
      int ar = r * cols;
      int br = r * rhs;
      for (int i = 0; i < cols; i++) {
        double v = a[ar + i];
        if (v == 0) {
          continue;
        }
        int gi = i * cols;
        for (int j = i; j < cols; j++) {
          ata[gi + j] += v * a[ar + j];
        }
        int ci = i * rhs;
        for (int k = 0; k < rhs; k++) {
          atb[ci + k] += v * b[br + k];
        }
      }
    }
    for (int i = 0; i < cols; i++) {
      for (int j = 0; j < i; j++) {
        ata[i * cols + j] = ata[j * cols + i];
      }
    }
    DMatrixRMaj x = new DMatrixRMaj(cols, rhs);
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
    if (!solver.setA(new DMatrixRMaj(cols, cols, true, ata))) {
      throw new CondenseException("least squares: the sampled inputs are degenerate (" + rows + "x" + cols + ")");
    }
    solver.solve(new DMatrixRMaj(cols, rhs, true, atb), x);
    return x.getData();
  }
}
