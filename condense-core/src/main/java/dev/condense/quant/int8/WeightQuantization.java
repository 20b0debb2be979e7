package dev.condense.quant.int8;

import dev.condense.graph.DType;
import dev.condense.graph.Tensor;
import dev.condense.ops.LinearQuantization;

/**
 * A layer's weight as int8, symmetric per output channel: {@code s_c = max|W_c| / 127}, values
 * in [−127, 127], zero point 0; and its bias as int32 at {@code s_x · s_c} with zero point 0, the
 * form QLinearConv and QGemm add into their int32 accumulators.
 *
 * @param values the int8 weight
 * @param scales one scale per output channel
 */
record WeightQuantization(Tensor values, float[] scales, int axis) {

  static WeightQuantization of(Tensor w, int axis) {
    int[] s = w.shape();
    int channels = s[axis];
    int inner = 1;
    for (int d = axis + 1; d < s.length; d++) {
      inner *= s[d];
    }
    float[] x = w.toFloats();
    float[] absMax = new float[channels];
    for (int i = 0; i < x.length; i++) {
      int c = (i / inner) % channels;
      absMax[c] = Math.max(absMax[c], Math.abs(x[i]));
    }
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      scales[c] = absMax[c] > 0 ? absMax[c] / 127 : 1f;
    }
    float[] q = new float[x.length];
    new LinearQuantization(scales, new int[channels], DType.INT8, inner).quantize(x, q);
    return new WeightQuantization(LinearQuantization.integers(q, DType.INT8, s), scales, axis);
  }

  /** The bias at scale {@code inputScale · s_c}, rounded half to even, saturated to int32. */
  Tensor bias(Tensor b, float inputScale) {
    return int32(b, biasScales(inputScale));
  }

  /** {@code b} at per-element scales {@code scale}, rounded half to even, saturated to int32. */
  static Tensor int32(Tensor b, float[] scale) {
    float[] x = b.toFloats();
    int[] q = new int[x.length];
    for (int c = 0; c < x.length; c++) {
      double v = Math.rint(x[c] / (double) scale[c]);
      q[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
    return Tensor.ofInts(q, b.shape());
  }

  /** {@code inputScale · s_c} in float32, as the runtime computes it. */
  float[] biasScales(float inputScale) {
    float[] r = new float[scales.length];
    for (int c = 0; c < r.length; c++) {
      r[c] = inputScale * scales[c];
    }
    return r;
  }
}
