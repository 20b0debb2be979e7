package dev.condense.quant.int4;

/** Block-wise 4-bit rounding to nearest: every weight independently to its block's nearest code. */
final class RoundToNearest {
  private RoundToNearest() {}

  /** {@code w} [rows, cols] row-major in blocks of {@code block} along the columns. */
  static BlockWeights quantize(float[] w, int rows, int cols, int block, boolean symmetric) {
    return Gptq.quantizeColumns(w, rows, cols, null, block, symmetric);
  }
}
