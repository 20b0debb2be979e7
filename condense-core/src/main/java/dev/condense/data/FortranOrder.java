package dev.condense.data;

/**
 * Reorders the elements of a Fortran-order (column-major, first index fastest) array into C order
 * (row-major, last index fastest), as NumPy does when such an array is read into a C-contiguous
 * one; elements are {@code size} bytes and copied as they are.
 */
final class FortranOrder {
  private FortranOrder() {}

  /** {@code data}, laid out column-major with {@code shape}, laid out row-major. */
  static byte[] toC(byte[] data, int[] shape, int size) {
    int rank = shape.length;
    long[] stride = new long[rank]; // in elements, column-major
    long s = 1;
    for (int k = 0; k < rank; k++) {
      stride[k] = s;
      s *= shape[k];
    }
    byte[] out = new byte[data.length];
    int[] index = new int[rank];
    long src = 0;
    int n = data.length / size;
    for (int dst = 0; dst < n; dst++) {
      System.arraycopy(data, (int) (src * size), out, dst * size, size);
      // the next C-order index: the last axis counts fastest
      for (int k = rank - 1; k >= 0; k--) {
        if (++index[k] < shape[k]) {
          src += stride[k];
          break;
        }
        src -= stride[k] * (shape[k] - 1);
        index[k] = 0;
      }
    }
    return out;
  }
}
