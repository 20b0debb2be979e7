package dev.condense.numeric;

/**
 * Matrix products in plain Java, so Condense trains and runs anywhere without native code (and
 * runs compressed models on Android). The inner loop is an axpy over a row of B and C, which the
 * JIT vectorises; op(B) is transposed into a row-major buffer first when needed, and the K loop
 * is blocked so a block of B stays in cache.
 */
public final class JavaGemm implements Gemm {
  private static final int KB = 128;

  @Override
  public String name() {
    return "pure Java";
  }

  @Override
  public boolean isNative() {
    return false;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      if (beta == 0f) {
        java.util.Arrays.fill(c, row, row + n, 0f);
      } else if (beta != 1f) {
        for (int j = 0; j < n; j++) {
          c[row + j] *= beta;
        }
      }
    }
    if (m == 0 || n == 0 || k == 0) {
      return;
    }
    float[] bb = b;
    int bo = bOff;
    int bl = ldb;
    if (transB) {
      // op(B) = Bᵀ where B is stored N×K: make it row-major K×N.
      bb = new float[k * n];
      for (int j = 0; j < n; j++) {
        for (int p = 0; p < k; p++) {
          bb[p * n + j] = b[bOff + j * ldb + p];
        }
      }
      bo = 0;
      bl = n;
    }
    for (int p0 = 0; p0 < k; p0 += KB) {
      int p1 = Math.min(k, p0 + KB);
      for (int i = 0; i < m; i++) {
        int row = cOff + i * ldc;
        for (int p = p0; p < p1; p++) {
          float av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
          if (av == 0f) {
            continue;
          }
          int brow = bo + p * bl;
          for (int j = 0; j < n; j++) {
            c[row + j] += av * bb[brow + j];
          }
        }
      }
    }
  }
}
