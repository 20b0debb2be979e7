package dev.condense.quant.int8;

import dev.condense.graph.DType;
import dev.condense.ops.LinearQuantization;

/**
 * The scale and zero point of one activation tensor, from its observed range: asymmetric over
 * the 256 levels of uint8 (what ONNX Runtime's x86 kernels take) or int8, with 0 exactly
 * representable ({@code zero = round(qmin − min / scale)}), so that a range starting at 0 (after a
 * Relu) gets the type's lowest value as zero point.
 */
record ActivationParams(float scale, int zeroPoint, DType type) {

  static ActivationParams of(Range r, DType type) {
    int lo = LinearQuantization.min(type);
    int hi = LinearQuantization.max(type);
    float width = r.max() - r.min();
    if (!(width > 0) || Float.isInfinite(width)) {
      return new ActivationParams(1f, 0, type); // all zeros: any scale represents them
    }
    float scale = width / (hi - lo);
    int zero = (int) Math.max(lo, Math.min(hi, Math.rint(lo - r.min() / scale)));
    return new ActivationParams(scale, zero, type);
  }
}
