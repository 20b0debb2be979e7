package dev.condense.ops;

/**
 * The error function and its complement in double precision, for Erf and Gelu (Java's
 * {@code Math} has neither). erf by its everywhere-positive series
 * erf(x) = 2/√π · e^(−x²) · Σ (2x²)^k · x / (1·3·…·(2k+1)) for |x| < 2 (no cancellation);
 * erfc by its continued fraction erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
 * for x ≥ 2, so that erfc keeps its relative precision far into the tail (Gelu of large negative
 * inputs is x·erfc(−x/√2)/2).
 */
final class ErrorFunction {
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double SWITCH = 2;

  private ErrorFunction() {}

  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    if (a < SWITCH) {
      return series(x);
    }
    return Math.copySign(1 - tail(a), x);
  }

  static double erfc(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x >= SWITCH) {
      return tail(x);
    }
    if (x <= -SWITCH) {
      return 2 - tail(-x);
    }
    return 1 - series(x);
  }

  private static double series(double x) {
    double x2 = 2 * x * x;
    double term = x;
    double sum = x;
    for (int k = 1; k < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
      term *= x2 / (2 * k + 1);
      sum += term;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }

  /** erfc(x) for x ≥ 2, the continued fraction evaluated by the modified Lentz method. */
  private static double tail(double x) {
    if (x > 27) {
      return 0; // below the smallest double
    }
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int k = 1; k < 500; k++) {
      double ak = k / 2.0;
      d = x + ak * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + ak / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
}
