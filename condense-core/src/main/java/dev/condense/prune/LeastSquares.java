package dev.condense.prune;

import dev.condense.CondenseException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * {@code min_X ‖A·X − B‖_F} through the SVD pseudo-inverse (EJML), which stays well defined when A is
 * rank deficient — as it is when a kept channel is always zero after its ReLU. Used for He et
 * al.'s re-fit of the kept weights (Eq. 2 with β fixed) and ThiNet's scaling of the kept channels
 * (Luo et al. §3.3).
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
    DMatrixRMaj ma = new DMatrixRMaj(rows, cols, true, a);
    DMatrixRMaj mb = new DMatrixRMaj(rows, rhs, true, b);
    DMatrixRMaj x = new DMatrixRMaj(cols, rhs);
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
    if (!solver.setA(ma)) {
      throw new CondenseException("least squares: the sampled inputs are degenerate (" + rows + "x" + cols + ")");
    }
    solver.solve(mb, x);
    return x.getData();
  }
}
