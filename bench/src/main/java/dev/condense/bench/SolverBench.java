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
 * the raw matrix (widening to double and forming XᵀX and Xᵀy included, as scikit-learn's
 * {@code precompute=True});
 * {@code SolverBench lstsq A B ROWS COLS RHS} — least squares.
 */
public final class SolverBench {
  private SolverBench() {}

  static float[] read(String file, int n) throws Exception {
    float[] x = new float[n];
    ByteBuffer.wrap(Files.readAllBytes(Path.of(file))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
    return x;
  }

  static double[] doubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  public static void main(String[] a) throws Exception {
    int rows = Integer.parseInt(a[3]);
    int cols = Integer.parseInt(a[4]);
    boolean lasso = a[0].equals("lasso");
    int rhs = lasso ? 1 : Integer.parseInt(a[5]);
    float[] x = read(a[1], rows * cols);
    float[] b = read(a[2], rows * rhs);
    double[] out;
    long t0 = System.nanoTime();
    if (lasso) {
      out = Lasso.fromRows(doubles(x), doubles(b), rows, cols).solve(Double.parseDouble(a[5]), null, 1e-10, 100_000).beta();
    } else {
      out = LeastSquares.solve(doubles(x), rows, cols, doubles(b), rhs);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("{\"seconds\": %.4f, \"solution\": [%s]}%n", seconds,
        Arrays.stream(out).mapToObj(v -> Double.toString(v)).collect(Collectors.joining(", ")));
  }
}
