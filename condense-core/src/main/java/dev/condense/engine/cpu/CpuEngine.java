package dev.condense.engine.cpu;

import dev.condense.MemoryLimit;
import dev.condense.engine.Engine;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import dev.condense.numeric.Blas;
import dev.condense.numeric.Gemm;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;

/**
 * Condense's CPU engine: im2col + GEMM kernels with hand-written backward passes, everything in
 * Java on a fixed number of threads except the GEMM backend, which is pure Java here and the
 * system's OpenBLAS when the engine module provides it ({@code NativeEngines}). Chosen by
 * measurement over DJL/libtorch: see {@code bench/README.md}. The engine owns its worker threads
 * ({@link Parallel}), which its sessions share, until {@link #close()}.
 */
public final class CpuEngine implements Engine {
  private final Blas blas;
  private final Parallel par;
  private final boolean sparse;
  private final MemoryLimit limit;

  /**
   * An engine on {@code threads} threads with the given GEMM backend; with {@code sparse},
   * inference runs the pruned weights of fully connected layers as sparse matrices (the .cdz
   * runtime), while training is unchanged.
   */
  public CpuEngine(int threads, Gemm gemm, boolean sparse) {
    this(threads, gemm, sparse, MemoryLimit.forThisHeap());
  }

  /**
   * An engine whose sessions refuse, before allocating, any plan whose buffers (activations, and
   * their gradients in training) do not fit {@code limit}.
   */
  public CpuEngine(int threads, Gemm gemm, boolean sparse, MemoryLimit limit) {
    this.blas = new Blas(gemm);
    this.par = new Parallel(threads);
    this.sparse = sparse;
    this.limit = limit;
  }

  /** A dense engine on {@code threads} threads with the given GEMM backend. */
  public CpuEngine(int threads, Gemm gemm) {
    this(threads, gemm, false);
  }

  /** A pure-Java engine on {@code threads} threads. */
  public CpuEngine(int threads) {
    this(threads, new JavaGemm());
  }

  @Override
  public String name() {
    return "cpu (" + blas + ", " + par.threads() + " threads" + (sparse ? ", sparse FC inference" : "") + ")";
  }

  /** Whether GEMM runs in a native BLAS. */
  public boolean nativeBlas() {
    return blas.isNative();
  }

  @Override
  public Session open(Model model) {
    if (par.isClosed()) {
      throw new IllegalStateException("the engine is closed");
    }
    return new CpuSession(model, blas, par, sparse, limit, null);
  }

  /**
   * A session that records the wall time of every kernel, the loss and the optimizer step into
   * {@code profile} (the caller's, read after training; see {@link OpProfile}).
   */
  public Session open(Model model, OpProfile profile) {
    if (par.isClosed()) {
      throw new IllegalStateException("the engine is closed");
    }
    return new CpuSession(model, blas, par, sparse, limit, java.util.Objects.requireNonNull(profile, "profile"));
  }

  /** Stops the worker threads; sessions opened from this engine can no longer be used. */
  @Override
  public void close() {
    par.close();
  }
}
