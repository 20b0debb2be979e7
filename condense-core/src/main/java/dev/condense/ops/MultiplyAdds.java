package dev.condense.ops;

import dev.condense.graph.ValueType;

/** Multiply-add counts of the layers, per sample of the batch. */
final class MultiplyAdds {
  private MultiplyAdds() {}

  /** {@code perOutput} multiply-adds for each element of {@code out}, divided by its batch size. */
  static long perSample(ValueType out, long perOutput) {
    return out.size() * perOutput / Math.max(1, out.rank() > 1 ? out.dim(0) : 1);
  }

  /**
   * A convolution's count: one multiply-add per element of {@code counted} for each entry of a
   * weight row (all dims of {@code weight} but the first: C/group × kernel for Conv, counted per
   * output element; C_out/group × kernel for ConvTranspose, counted per input element).
   */
  static long perWeightRow(ValueType counted, int[] weight) {
    long row = 1;
    for (int i = 1; i < weight.length; i++) {
      row *= weight[i];
    }
    return perSample(counted, row);
  }
}
