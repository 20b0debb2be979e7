package dev.condense.engine.blas;

import dev.condense.MemoryLimit;
import dev.condense.engine.cpu.CpuEngine;

/** Condense's CPU engine with the fastest GEMM this machine has (OpenBLAS if installed). */
public final class NativeEngines {
  private NativeEngines() {}

  /** An engine on {@code threads} threads with {@link NativeGemm#detect()}'s backend. */
  public static CpuEngine create(int threads) {
    return new CpuEngine(threads, NativeGemm.detect());
  }

  /** The same, its sessions' plans refused before allocating beyond {@code limit}. */
  public static CpuEngine create(int threads, MemoryLimit limit) {
    return new CpuEngine(threads, NativeGemm.detect(), false, limit);
  }
}
