package dev.condense.quant.int4;

import dev.condense.CondenseException;

/**
 * GPTQ's error-minimising rounding of one layer (Frantar et al., "GPTQ: Accurate Post-Training
 * Quantization for Generative Pre-trained Transformers", ICLR 2023), in float64: the layer-wise
 * least-squares objective {@code ||XW − XŴ||²} whose Hessian over each output row's weights is
 * {@code H = 2XXᵀ} (§3, eq. 1–2), minimised by quantizing the input columns one at a time in a
 * fixed order and spreading each column's rounding error over the columns not yet quantized
 * through the inverse Hessian (§4 "Step 1: arbitrary order", eq. 3). The inverse is taken once,
 * as the upper Cholesky factor of {@code H⁻¹} whose rows give the update of every step (§4 "Step
 * 3: Cholesky reformulation"), after dampening {@code H}'s diagonal by a fraction (1%) of its mean
 * (ibid.). With blocks, a block's scale and zero point are chosen from the updated weights when
 * its first column is reached (the reference implementation's grouping). An input that never
 * varies in calibration (a zero diagonal) gets {@code H_ii = 1}: its error is not propagated.
 * The lazy batched updates of §4 "Step 2" change the arithmetic's order, not the result, and are
 * not needed at the sizes Condense quantizes.
 */
final class Gptq {
  /** The fraction of H's mean diagonal added to the diagonal (§4, "Step 3"). */
  static final double DAMPING = 0.01;

  private Gptq() {}

  /**
   * {@code w} [rows, cols] row-major quantized in blocks of {@code block} along the columns,
   * {@code h} the [cols, cols] Hessian of the layer's inputs ({@code XXᵀ}, any positive scale).
   */
  static BlockWeights quantize(float[] w, int rows, int cols, double[] h, int block, boolean symmetric, String layer) {
    return quantizeColumns(w, rows, cols, inverseCholeskyUpper(h, cols, layer), block, symmetric);
  }

  /**
   * The columns quantized in order, a block's parameters chosen at its first column; with
   * {@code u} (the upper Cholesky factor of H⁻¹), each column's error {@code (w − q) / U_ii}
   * subtracted from the later columns times row i of U (Frantar et al. 2023, Algorithm 1);
   * without it, plain rounding to nearest.
   */
  static BlockWeights quantizeColumns(float[] w, int rows, int cols, double[] u, int block, boolean symmetric) {
    double[] x = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      x[i] = w[i];
    }
    int nb = BlockWeights.blocks(cols, block);
    byte[] codes = new byte[w.length];
    float[] scales = new float[rows * nb];
    int[] zeros = new int[rows * nb];
    BlockParams[] params = new BlockParams[rows];
    for (int i = 0; i < cols; i++) {
      if (i % block == 0) {
        int b = i / block;
        int count = Math.min(block, cols - i);
        for (int n = 0; n < rows; n++) {
          params[n] = BlockParams.of(x, n * cols + i, count, symmetric);
          scales[n * nb + b] = params[n].scale();
          zeros[n * nb + b] = params[n].zeroPoint();
        }
      }
      for (int n = 0; n < rows; n++) {
        int row = n * cols;
        int q = params[n].code(x[row + i]);
        codes[row + i] = (byte) q;
        if (u != null) {
          double err = (x[row + i] - params[n].value(q)) / u[i * cols + i];
          for (int j = i + 1; j < cols; j++) {
            x[row + j] -= err * u[i * cols + j];
          }
        }
      }
    }
    return new BlockWeights(rows, cols, block, symmetric, codes, scales, zeros);
  }

  /** The upper factor U with {@code UᵀU = (H + λI)⁻¹}, λ the damping, as a [n, n] row-major array. */
  static double[] inverseCholeskyUpper(double[] h, int n, String layer) {
    double[] a = h.clone();
    double mean = 0;
    for (int i = 0; i < n; i++) {
      if (a[i * n + i] == 0) {
        a[i * n + i] = 1;
      }
      mean += a[i * n + i] / n;
    }
    for (int i = 0; i < n; i++) {
      a[i * n + i] += DAMPING * mean;
    }
    double[] l = cholesky(a, n, layer);
    // L⁻¹ by forward substitution, then H⁻¹ = L⁻ᵀ L⁻¹.
    double[] li = new double[n * n];
    for (int c = 0; c < n; c++) {
      li[c * n + c] = 1 / l[c * n + c];
      for (int r = c + 1; r < n; r++) {
        double s = 0;
        for (int k = c; k < r; k++) {
          s += l[r * n + k] * li[k * n + c];
        }
        li[r * n + c] = -s / l[r * n + r];
      }
    }
    double[] inv = new double[n * n];
    for (int r = 0; r < n; r++) {
      for (int c = r; c < n; c++) {
        double s = 0;
        for (int k = c; k < n; k++) {
          s += li[k * n + r] * li[k * n + c];
        }
        inv[r * n + c] = s;
        inv[c * n + r] = s;
      }
    }
    // The upper factor of H⁻¹ is the transpose of its lower Cholesky factor.
    double[] l2 = cholesky(inv, n, layer);
    double[] u = new double[n * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c <= r; c++) {
        u[c * n + r] = l2[r * n + c];
      }
    }
    return u;
  }

  /** The lower Cholesky factor of a symmetric positive definite matrix. */
  private static double[] cholesky(double[] a, int n, String layer) {
    double[] l = new double[n * n];
    for (int j = 0; j < n; j++) {
      double s = a[j * n + j];
      for (int k = 0; k < j; k++) {
        s -= l[j * n + k] * l[j * n + k];
      }
      if (!(s > 0)) {
        throw new CondenseException("layer " + layer + ": the Hessian of its calibration inputs is not positive"
            + " definite after damping (column " + j + ")");
      }
      double d = Math.sqrt(s);
      l[j * n + j] = d;
      for (int i = j + 1; i < n; i++) {
        double t = a[i * n + j];
        for (int k = 0; k < j; k++) {
          t -= l[i * n + k] * l[j * n + k];
        }
        l[i * n + j] = t / d;
      }
    }
    return l;
  }
}
