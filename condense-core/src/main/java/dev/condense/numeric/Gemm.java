package dev.condense.numeric;

/**
 * A single-precision matrix product on the calling thread, in row-major terms:
 * C = alpha·op(A)·op(B) + beta·C, op(A) M×K, op(B) K×N, lda/ldb/ldc the row lengths of the stored
 * matrices. Condense has a pure-Java one ({@link JavaGemm}); the engine module plugs in the
 * system's OpenBLAS.
 */
public interface Gemm {
  /** Describes the implementation for reports ("native /usr/lib/.../libblas.so.3"). */
  String name();

  /** Whether this runs native code. */
  boolean isNative();

  void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);
}
