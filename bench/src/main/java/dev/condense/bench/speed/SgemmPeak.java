package dev.condense.bench.speed;

import dev.condense.numeric.Gemm;
import dev.condense.numeric.Parallel;
import java.util.Arrays;

/**
 * The machine's sgemm peak as the engine sees it: each of the engine's threads multiplies its own
 * 1024³ single-precision matrices with the engine's GEMM backend at the same time (the engine
 * runs one single-threaded BLAS call per thread), best of a few rounds.
 */
final class SgemmPeak {
  private SgemmPeak() {}

  /** GFLOP/s of all {@code par}'s threads together (2·n³ per product), best of {@code rounds}. */
  static double measure(Gemm gemm, Parallel par, int n, int rounds) {
    int t = par.threads();
    float[][] a = new float[t][];
    float[][] b = new float[t][];
    float[][] c = new float[t][];
    for (int i = 0; i < t; i++) {
      a[i] = new float[n * n];
      b[i] = new float[n * n];
      c[i] = new float[n * n];
      Arrays.fill(a[i], 0.5f + i);
      Arrays.fill(b[i], 0.25f);
    }
    double best = 0;
    for (int r = 0; r < rounds + 1; r++) {
      long t0 = System.nanoTime();
      par.forParts(t, (part, from, to) -> {
        for (int q = from; q < to; q++) {
          gemm.gemm(false, false, n, n, n, 1f, a[q], 0, n, b[q], 0, n, 0f, c[q], 0, n);
        }
      });
      double s = (System.nanoTime() - t0) / 1e9;
      if (r > 0) { // the first round warms up
        best = Math.max(best, 2.0 * n * n * n * t / s / 1e9);
      }
    }
    return best;
  }
}
