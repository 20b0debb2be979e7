package dev.condense.numeric;

/**
 * The engine's matrix products: a {@link Gemm} backend (pure Java, or the system's OpenBLAS
 * through the engine module) plus the splitting of large products over the engine's worker
 * threads. Backends compute on the calling thread only; the engine owns the parallelism, so
 * element-wise kernels and GEMMs never fight over cores.
 */
public final class Blas {
  /** Products below this many multiply-adds are not split over threads. */
  private static final long SPLIT_WORK = 1L << 17;

  private final Gemm gemm;

  public Blas(Gemm gemm) {
    this.gemm = gemm;
  }

  public boolean isNative() {
    return gemm.isNative();
  }

  @Override
  public String toString() {
    return gemm.name();
  }

  /** C = alpha·op(A)·op(B) + beta·C on the calling thread (see {@link Gemm}). */
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * Like {@link #gemm}, with C split into blocks of rows or columns (whichever dimension is
   * larger) computed on {@code par}'s threads.
   */
  public void gemm(Parallel par, boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    int parts = par.threads();
    if (parts == 1 || (long) m * n * k < SPLIT_WORK || Math.max(m, n) < 2 * parts) {
      gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    if (n >= m) {
      par.forBlocks(n, parts, 16, (from, to) -> gemm(transA, transB, m, to - from, k, alpha, a, aOff, lda,
          b, bOff + (transB ? from * ldb : from), ldb, beta, c, cOff + from, ldc));
    } else {
      par.forBlocks(m, parts, 16, (from, to) -> gemm(transA, transB, to - from, n, k, alpha,
          a, aOff + (transA ? from : from * lda), lda, b, bOff, ldb, beta, c, cOff + from * ldc, ldc));
    }
  }
}
