package dev.condense.bench.coverage;

/** Largest absolute difference of two arrays and the largest magnitude of the reference. */
record Diff(double maxAbs, double maxRef) {

  static Diff of(float[] got, float[] ref) {
    if (got.length != ref.length) {
      throw new IllegalArgumentException("lengths differ: " + got.length + " vs " + ref.length);
    }
    double d = 0;
    double m = 0;
    for (int i = 0; i < got.length; i++) {
      double e = Math.abs((double) got[i] - ref[i]);
      d = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(d, e);
      m = Math.max(m, Math.abs(ref[i]));
    }
    return new Diff(d, m);
  }

  /** maxAbs relative to the reference's largest magnitude (maxAbs itself when that is 0). */
  double relative() {
    return maxRef > 0 ? maxAbs / maxRef : maxAbs;
  }
}
