/**
 * The engine module's native part: the system's OpenBLAS behind the {@link dev.condense.numeric.Gemm}
 * interface (single-threaded; the engine splits products over its own threads), and
 * {@link dev.condense.engine.blas.NativeEngines}, the CPU engine with the fastest GEMM found.
 *
 * <p>May import: the root package ({@code MemoryLimit}), {@code numeric} and {@code engine.cpu} of condense-core,
 * netlib-java and JNA.
 * Nothing in condense-core imports it.
 */
package dev.condense.engine.blas;
