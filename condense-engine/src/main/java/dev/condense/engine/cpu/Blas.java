package dev.condense.engine.cpu;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Single-precision GEMM for the engine, in row-major terms. It uses the system's optimised BLAS
 * (OpenBLAS, found through netlib-java's JNI bridge) when one is installed, and otherwise the
 * pure-Java netlib kernels (Vector API when {@code jdk.incubator.vector} is enabled). Debian's
 * reference {@code libblas3} is never used: it is slower than the Java fallback.
 *
 * <p>Threads: OpenBLAS is switched to one thread and large products are split over the
 * engine's own workers instead. Two thread pools on two cores fight: OpenBLAS's idle workers
 * spin for up to 2^28 cycles after each call, stealing the core the engine's next element-wise
 * kernel runs on (measured: LeNet-300-100 epochs 2.5× slower).
 *
 * <p>The system property {@code condense.blas} picks explicitly: {@code native}, {@code java},
 * or a path to a {@code libblas.so.3}.
 */
public final class Blas {
  /** Optimised BLAS libraries looked for, best first (Debian paths). */
  private static final List<String> CANDIDATES = List.of(
      "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
      "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3",
      "/usr/lib/aarch64-linux-gnu/openblas-pthread/libblas.so.3",
      "/usr/lib/aarch64-linux-gnu/openblas-openmp/libblas.so.3");

  /** Products below this many multiply-adds are not split over threads. */
  private static final long SPLIT_WORK = 1L << 17;

  private final BLAS blas;
  private final boolean isNative;
  /** True when each call runs on the calling thread only, so splitting over threads pays. */
  private final boolean singleThreaded;
  private final String description;

  private Blas(BLAS blas, boolean isNative, boolean singleThreaded, String description) {
    this.blas = blas;
    this.isNative = isNative;
    this.singleThreaded = singleThreaded;
    this.description = description;
  }

  /** The best BLAS available on this machine (see the class comment). */
  public static Blas detect() {
    Logger.getLogger("dev.ludovic.netlib").setLevel(Level.SEVERE);
    String choice = System.getProperty("condense.blas", "auto");
    if (!choice.equals("java")) {
      String lib = choice.equals("auto") || choice.equals("native") ? findOptimisedLibrary() : choice;
      if (lib != null) {
        try {
          // netlib-java reads this once, when its JNI library loads.
          if (System.getProperty("dev.ludovic.netlib.blas.nativeLibPath") == null) {
            System.setProperty("dev.ludovic.netlib.blas.nativeLibPath", lib);
          }
          BLAS b = NativeBLAS.getInstance();
          String path = System.getProperty("dev.ludovic.netlib.blas.nativeLibPath");
          boolean single = OpenBlasThreads.setSingleThreaded(path);
          return new Blas(b, true, single, "native " + path);
        } catch (RuntimeException | LinkageError e) {
          if (choice.equals("native")) {
            throw new IllegalStateException("condense.blas=native but no native BLAS could be loaded: " + e.getMessage());
          }
        }
      } else if (choice.equals("native")) {
        throw new IllegalStateException("condense.blas=native but no OpenBLAS was found (apt-get install libopenblas0)");
      }
    }
    BLAS j = JavaBLAS.getInstance();
    return new Blas(j, false, true, "java " + j.getClass().getSimpleName());
  }

  private static String findOptimisedLibrary() {
    for (String c : CANDIDATES) {
      if (Files.isReadable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  public boolean isNative() {
    return isNative;
  }

  @Override
  public String toString() {
    return description;
  }

  /**
   * C = alpha·op(A)·op(B) + beta·C for row-major matrices: op(A) is M×K, op(B) K×N, C M×N;
   * lda/ldb/ldc are the row lengths of the stored matrices.
   */
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      scale(beta, c, cOff, ldc, m, n);
      return;
    }
    // Row-major C = op(A)op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ over the same arrays.
    blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOff, ldb, a, aOff, lda,
        beta, c, cOff, ldc);
  }

  /**
   * Like {@link #gemm}, with C split into blocks of rows or columns (whichever dimension is
   * larger) computed on {@code par}'s threads.
   */
  public void gemm(Parallel par, boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    int parts = par.threads();
    if (!singleThreaded || parts == 1 || (long) m * n * k < SPLIT_WORK || Math.max(m, n) < 2 * parts) {
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

  private static void scale(float beta, float[] c, int off, int ldc, int m, int n) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        c[off + i * ldc + j] = beta == 0 ? 0 : beta * c[off + i * ldc + j];
      }
    }
  }
}
