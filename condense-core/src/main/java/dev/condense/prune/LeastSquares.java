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
    if (rows < cols) {
      throw new CondenseException("least squares needs at least as many samples as unknowns: " + rows
          + " samples for " + cols + " unknowns; sample more locations");
    }
    NormalEquations ne = NormalEquations.of(a, rows, cols, b, rhs);
    DMatrixRMaj x = new DMatrixRMaj(cols, rhs);
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
    if (!solver.setA(new DMatrixRMaj(cols, cols, true, ne.ata()))) {
      throw new CondenseException("least squares: the sampled inputs are degenerate (" + rows + "x" + cols + ")");
    }
    solver.solve(new DMatrixRMaj(cols, rhs, true, ne.atb()), x);
    return x.getData();
  }
}
