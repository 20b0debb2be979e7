package dev.condense.engine.blas;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/** Sets OpenBLAS's thread count through its exported {@code openblas_set_num_threads}. */
final class OpenBlasThreads {
  private OpenBlasThreads() {}

  /**
   * Makes the OpenBLAS at {@code libraryPath} compute on the calling thread only. Returns false
   * when the library is not OpenBLAS (no such symbol) or cannot be opened.
   */
  static boolean setSingleThreaded(String libraryPath) {
    try {
      NativeLibrary lib = NativeLibrary.getInstance(libraryPath);
      Function f = lib.getFunction("openblas_set_num_threads");
      f.invokeVoid(new Object[] {1});
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
  }
}
