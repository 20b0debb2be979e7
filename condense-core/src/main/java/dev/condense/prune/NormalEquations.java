package dev.condense.prune;

/**
 * {@code AᵀA} and {@code AᵀB} of a tall row-major A ({@code rows × cols}) and B ({@code rows × rhs}),
 * in one pass over the rows, in double precision: what least squares and the LASSO's Gram form
 * both start from. Rows outnumber columns many times in channel pruning (samples × outputs), so
 * the small square AᵀA is what the solvers work on.
 *
 * @param ata AᵀA, row-major {@code cols × cols}, symmetric
 * @param atb AᵀB, row-major {@code cols × rhs}
 */
public record NormalEquations(double[] ata, double[] atb, int cols, int rhs) {

  public static NormalEquations of(double[] a, int rows, int cols, double[] b, int rhs) {
    if (a.length != (long) rows * cols || b.length != (long) rows * rhs) {
      throw new IllegalArgumentException("A is " + a.length + " values for " + rows + "x" + cols + ", B "
          + b.length + " for " + rows + "x" + rhs);
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
    return new NormalEquations(ata, atb, cols, rhs);
  }
}
