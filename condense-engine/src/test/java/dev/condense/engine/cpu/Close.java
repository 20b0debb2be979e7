package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.fail;

/** Comparison of float32 results with a float64 reference. */
final class Close {
  private Close() {}

  /**
   * Every element within {@code rtol·|ref| + rtol·max|ref| / 10}: relative where values are
   * large, and bounded by the tensor's scale near zero (where sums cancel).
   */
  static void check(String what, float[] actual, double[] ref, double rtol) {
    if (actual.length != ref.length) {
      fail(what + ": length " + actual.length + " vs " + ref.length);
    }
    double scale = 0;
    for (double r : ref) {
      scale = Math.max(scale, Math.abs(r));
    }
    for (int i = 0; i < ref.length; i++) {
      double tol = rtol * Math.abs(ref[i]) + rtol * scale / 10 + 1e-7;
      if (!(Math.abs(actual[i] - ref[i]) <= tol)) {
        fail(String.format("%s: element %d is %g, reference %g (|diff| %.3g > tol %.3g)", what, i,
            actual[i], ref[i], Math.abs(actual[i] - ref[i]), tol));
      }
    }
  }
}
