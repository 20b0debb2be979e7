package dev.condense.engine.blas;

import dev.condense.numeric.Gemm;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's GEMM from the system's optimised BLAS (OpenBLAS, found through netlib-java's JNI
 * bridge), or netlib's pure-Java kernels when none is installed. Debian's reference
 * {@code libblas3} is never used: it is slower than the Java fallback.
 *
 * <p>Threads: OpenBLAS is switched to one thread and large products are split over the
 * engine's own workers instead ({@link dev.condense.numeric.Blas}). Two thread pools on two
 * cores fight: OpenBLAS's idle workers spin for up to 2^28 cycles after each call, stealing the
 * core the engine's next element-wise kernel runs on (measured: LeNet-300-100 epochs 2.5× slower).
 *
 * <p>The system property {@code condense.blas} picks explicitly: {@code native}, {@code java},
 * or a path to a {@code libblas.so.3}.
 */
public final class NativeGemm implements Gemm {
  /** Optimised BLAS libraries looked for, best first (Debian paths). */
  private static final List<String> CANDIDATES = List.of(
      "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
      "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3",
      "/usr/lib/aarch64-linux-gnu/openblas-pthread/libblas.so.3",
      "/usr/lib/aarch64-linux-gnu/openblas-openmp/libblas.so.3");

  private final BLAS blas;
  private final boolean isNative;
  private final String description;

  private NativeGemm(BLAS blas, boolean isNative, String description) {
    this.blas = blas;
    this.isNative = isNative;
    this.description = description;
  }

  /**
   * The best BLAS available on this machine (see the class comment), or null when a native one
   * runs several threads of its own and could not be made single-threaded (then the caller
   * should use {@link dev.condense.numeric.JavaGemm} or one thread).
   */
  public static NativeGemm detect() {
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
          if (!OpenBlasThreads.setSingleThreaded(path)) {
            throw new IllegalStateException("not OpenBLAS: cannot make it single-threaded");
          }
          return new NativeGemm(b, true, "native " + path);
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
    return new NativeGemm(j, false, "java " + j.getClass().getSimpleName());
  }

  private static String findOptimisedLibrary() {
    for (String c : CANDIDATES) {
      if (Files.isReadable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  @Override
  public boolean isNative() {
    return isNative;
  }

  @Override
  public String name() {
    return description;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[cOff + i * ldc + j] = beta == 0 ? 0 : beta * c[cOff + i * ldc + j];
        }
      }
      return;
    }
    // Row-major C = op(A)op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ over the same arrays.
    blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOff, ldb, a, aOff, lda,
        beta, c, cOff, ldc);
  }
}
