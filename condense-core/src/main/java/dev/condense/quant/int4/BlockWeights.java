package dev.condense.quant.int4;

import dev.condense.graph.DType;

/**
 * A weight matrix of {@code rows} outputs by {@code cols} inputs in 4-bit blocks: row {@code n}'s
 * inputs {@code [b·block, (b+1)·block)} share scale and zero point {@code [n·blocks + b]} (the
 * last block of a row is shorter when {@code block} does not divide {@code cols}). Codes are
 * int4 in [−8, 7] with zero point 0 (symmetric) or uint4 in [0, 15] (asymmetric), one per byte,
 * row-major [rows, cols]; the value is {@code (code − zero) · scale} in float32, as ONNX
 * DequantizeLinear and MatMulNBits compute it.
 */
public record BlockWeights(int rows, int cols, int block, boolean symmetric, byte[] codes, float[] scales,
    int[] zeroPoints) {

  /** Blocks per row, ⌈cols / block⌉. */
  public int blocks() {
    return blocks(cols, block);
  }

  static int blocks(int cols, int block) {
    return (cols + block - 1) / block;
  }

  /** INT4 for the symmetric form, UINT4 for the asymmetric one. */
  public DType type() {
    return symmetric ? DType.INT4 : DType.UINT4;
  }

  /** The weight as the runtimes decode it, [rows, cols] row-major. */
  public float[] dequantized() {
    float[] w = new float[rows * cols];
    int nb = blocks();
    for (int n = 0; n < rows; n++) {
      for (int k = 0; k < cols; k++) {
        int b = n * nb + k / block;
        w[n * cols + k] = (codes[n * cols + k] - zeroPoints[b]) * scales[b];
      }
    }
    return w;
  }
}
