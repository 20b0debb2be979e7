package dev.condense.bench;

import dev.condense.prune.Lasso;
import dev.condense.prune.LeastSquares;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Condense's channel-pruning solvers on raw float32 files written by bench/solvers/run.py, timed
 * like their peers. Prints one JSON line: the seconds and the solution.
 *
 * <p>Usage: {@code SolverBench lasso X Y ROWS COLS ALPHA} — the LASSO at {@code alpha}, timed from
 * the raw matrix (forming XᵀX and Xᵀy included, as scikit-learn's {@code precompute=True});
 * {@code SolverBench lstsq A B ROWS COLS RHS} — least squares.
 */
public final class SolverBench {
  private SolverBench() {}

  static float[] read(String file, int n) throws Exception {
    float[] x = new float[n];
    ByteBuffer.wrap(Files.readAllBytes(Path.of(file))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
    return x;
  }

  public static void main(String[] a) throws Exception {
    int rows = Integer.parseInt(a[3]);
    int cols = Integer.parseInt(a[4]);
    float[] x = read(a[1], rows * cols);
    double[] out;
    long t0 = System.nanoTime();
    if (a[0].equals("lasso")) {
      float[] y = read(a[2], rows);
      double[][] gram = new double[cols][cols];
      double[] xty = new double[cols];
      for (int r = 0; r < rows; r++) {
        int base = r * cols;
        for (int i = 0; i < cols; i++) {
          double xi = x[base + i];
          xty[i] += xi * y[r];
          double[] gi = gram[i];
          for (int j = i; j < cols; j++) {
            gi[j] += xi * x[base + j];
          }
        }
      }
      for (int i = 0; i < cols; i++) {
        for (int j = 0; j < i; j++) {
          gram[i][j] = gram[j][i];
        }
      }
      out = new Lasso(gram, xty, rows).solve(Double.parseDouble(a[5]), null, 1e-10, 100_000).beta();
    } else {
      int rhs = Integer.parseInt(a[5]);
      float[] b = read(a[2], rows * rhs);
      double[] ad = new double[x.length];
      double[] bd = new double[b.length];
      for (int i = 0; i < ad.length; i++) {
        ad[i] = x[i];
      }
      for (int i = 0; i < bd.length; i++) {
        bd[i] = b[i];
      }
      out = LeastSquares.solve(ad, rows, cols, bd, rhs);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("{\"seconds\": %.4f, \"solution\": [%s]}%n", seconds,
        Arrays.stream(out).mapToObj(v -> Double.toString(v)).collect(Collectors.joining(", ")));
  }
}
