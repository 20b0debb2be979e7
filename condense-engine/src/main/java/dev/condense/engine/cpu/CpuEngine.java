package dev.condense.engine.cpu;

import dev.condense.engine.Engine;
import dev.condense.engine.Session;
import dev.condense.graph.Model;

/**
 * Condense's CPU engine: im2col + GEMM kernels with hand-written backward passes, the GEMM from
 * the system's OpenBLAS when installed (see {@link Blas}), everything else in Java on a fixed
 * number of threads. Chosen by measurement over DJL/libtorch: see {@code bench/README.md}.
 */
public final class CpuEngine implements Engine {
  private final Blas blas;
  private final Parallel par;

  /** An engine on {@code threads} threads. */
  public CpuEngine(int threads) {
    this.blas = Blas.detect();
    this.par = new Parallel(threads);
  }

  /** An engine on all available processors. */
  public CpuEngine() {
    this(Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String name() {
    return "cpu (" + blas + ", " + par.threads() + " threads)";
  }

  /** Whether GEMM runs in a native BLAS. */
  public boolean nativeBlas() {
    return blas.isNative();
  }

  @Override
  public Session open(Model model) {
    return new CpuSession(model, blas, par);
  }
}
