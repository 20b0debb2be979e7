package dev.condense.codec;

import dev.condense.CondenseException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Plain compressed sparse row storage of a weight matrix, as bytes: the honest size of "only the
 * non-zeros" before Deep Compression's relative indices, quantization and Huffman coding. A
 * tensor of rank > 2 is stored as [dim 0, rest] (a Conv filter per row).
 *
 * <p>Layout (little-endian): int32 rows, int32 cols, int32 nnz, int32 rowPtr[rows + 1], column
 * indices as uint16 when cols ≤ 65,536 else int32, float32 values[nnz].
 */
public final class CsrEncoding {
  private CsrEncoding() {}

  public static byte[] encode(float[] w, int rows, int cols) {
    if ((long) rows * cols != w.length) {
      throw new IllegalArgumentException(rows + "×" + cols + " does not hold " + w.length + " values");
    }
    int nnz = 0;
    for (float v : w) {
      nnz += v != 0f ? 1 : 0;
    }
    boolean shortIdx = cols <= 65_536;
    ByteBuffer b = ByteBuffer.allocate(12 + 4 * (rows + 1) + (shortIdx ? 2 : 4) * nnz + 4 * nnz)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(rows).putInt(cols).putInt(nnz);
    int count = 0;
    b.putInt(0);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        count += w[r * cols + c] != 0f ? 1 : 0;
      }
      b.putInt(count);
    }
    for (int i = 0; i < w.length; i++) {
      if (w[i] != 0f) {
        int c = i % cols;
        if (shortIdx) {
          b.putShort((short) c);
        } else {
          b.putInt(c);
        }
      }
    }
    for (float v : w) {
      if (v != 0f) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  /** The dense row-major matrix back from {@link #encode}'s bytes. */
  public static float[] decode(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int rows = b.getInt();
      int cols = b.getInt();
      int nnz = b.getInt();
      if (rows < 0 || cols < 0 || nnz < 0 || (long) rows * cols > Integer.MAX_VALUE - 8 || nnz > (long) rows * cols) {
        throw new CondenseException("corrupt CSR header");
      }
      int[] ptr = new int[rows + 1];
      for (int r = 0; r <= rows; r++) {
        ptr[r] = b.getInt();
      }
      boolean shortIdx = cols <= 65_536;
      int[] idx = new int[nnz];
      for (int k = 0; k < nnz; k++) {
        idx[k] = shortIdx ? Short.toUnsignedInt(b.getShort()) : b.getInt();
      }
      float[] w = new float[rows * cols];
      for (int r = 0; r < rows; r++) {
        for (int k = ptr[r]; k < ptr[r + 1]; k++) {
          w[r * cols + idx[k]] = b.getFloat();
        }
      }
      return w;
    } catch (java.nio.BufferUnderflowException | ArrayIndexOutOfBoundsException e) {
      throw new CondenseException("truncated or corrupt CSR data");
    }
  }
}
