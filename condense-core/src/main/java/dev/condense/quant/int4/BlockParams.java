package dev.condense.quant.int4;

import dev.condense.ops.LinearQuantization;

/**
 * The scale and zero point of one block and the rounding to its codes. Symmetric int4:
 * {@code s = max|w| / 7}, zero point 0, codes clamped to [−8, 7]. Asymmetric uint4: the range
 * {@code [min(0, min w), max(0, max w)]} (containing 0, so a pruned weight stays exactly 0),
 * {@code s = (hi − lo) / 15}, {@code z = round(−lo / s)}; codes clamped to [0, 15]. Rounding is
 * ONNX QuantizeLinear's: half to even, the division in float32.
 */
record BlockParams(float scale, int zeroPoint, int min, int max) {

  /** The parameters of values {@code w[from], …, w[from + count − 1]}. */
  static BlockParams of(double[] w, int from, int count, boolean symmetric) {
    double lo = 0;
    double hi = 0;
    for (int i = 0; i < count; i++) {
      double v = w[from + i];
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (symmetric) {
      float s = (float) (Math.max(-lo, hi) / 7);
      return new BlockParams(s > 0 ? s : 1f, 0, -8, 7);
    }
    float s = (float) ((hi - lo) / 15);
    if (!(s > 0)) {
      return new BlockParams(1f, 0, 0, 15);
    }
    int z = (int) Math.max(0, Math.min(15, Math.rint(-lo / s)));
    return new BlockParams(s, z, 0, 15);
  }

  /** The code of {@code w}. */
  int code(double w) {
    return (int) LinearQuantization.quantize((float) w, scale, zeroPoint, min, max);
  }

  /** The value of a code, in float32 as the runtimes decode it. */
  float value(int code) {
    return LinearQuantization.dequantize(code, scale, zeroPoint);
  }
}
