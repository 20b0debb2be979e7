package dev.condense.runtime;

/**
 * A sparse weight matrix [rows × cols] in compressed sparse row form whose non-zeros are
 * codebook indices (Deep Compression's shared weights: one byte per weight plus the codebook)
 * or, for unquantized weights, float values. Multiplies a batch of inputs laid out
 * feature-major ([cols × batch]) so the innermost loop runs over the batch, contiguously.
 */
public final class CsrMatrix {
  final int rows;
  final int cols;
  final int[] rowPtr;
  final int[] colIdx;
  /** Codebook indices of the non-zeros (null when {@link #values} holds them directly). */
  final short[] codes;
  final float[] codebook;
  final float[] values;

  private CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, short[] codes, float[] codebook, float[] values) {
    this.rows = rows;
    this.cols = cols;
    this.rowPtr = rowPtr;
    this.colIdx = colIdx;
    this.codes = codes;
    this.codebook = codebook;
    this.values = values;
  }

  /** From a dense row-major matrix; shares values through a codebook when there are ≤ 65,535. */
  public static CsrMatrix of(float[] dense, int rows, int cols) {
    int nnz = 0;
    for (float v : dense) {
      nnz += v != 0f ? 1 : 0;
    }
    float[] codebook = dev.condense.graph.CompressionState.distinctNonZero(dense, 65_535);
    int[] ptr = new int[rows + 1];
    int[] col = new int[nnz];
    short[] codes = codebook == null ? null : new short[nnz];
    float[] vals = codebook == null ? new float[nnz] : null;
    int k = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float v = dense[r * cols + c];
        if (v != 0f) {
          col[k] = c;
          if (codes != null) {
            codes[k] = (short) java.util.Arrays.binarySearch(codebook, v);
          } else {
            vals[k] = v;
          }
          k++;
        }
      }
      ptr[r + 1] = k;
    }
    return new CsrMatrix(rows, cols, ptr, col, codes, codebook, vals);
  }

  public int nonzeros() {
    return rowPtr[rows];
  }

  private float value(int k) {
    return codes != null ? codebook[codes[k] & 0xffff] : values[k];
  }

  /** y[r] = Σ_k W[r, col_k] · x[col_k] for one input vector, rows {@code [from, to)}. */
  public void multiplyVector(float[] x, int xOff, float[] y, int yOff, int from, int to) {
    for (int r = from; r < to; r++) {
      float s = 0f;
      for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
        s += value(k) * x[xOff + colIdx[k]];
      }
      y[yOff + r] = s;
    }
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /**
   * Y = W·X for a batch: {@code xt} is [cols × batch], {@code yt} receives rows
   * {@code [from, to)} of [rows × batch].
   */
  public void multiplyBatch(float[] xt, float[] yt, int batch, int from, int to) {
    java.util.Arrays.fill(yt, from * batch, to * batch, 0f);
    for (int r = from; r < to; r++) {
      int yo = r * batch;
      for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
        float v = value(k);
        int xo = colIdx[k] * batch;
        for (int b = 0; b < batch; b++) {
          yt[yo + b] += v * xt[xo + b];
        }
      }
    }
  }
}
