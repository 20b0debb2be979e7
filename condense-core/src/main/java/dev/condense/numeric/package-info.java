/**
 * Shared numeric code with no knowledge of models: the single-precision matrix product
 * ({@link dev.condense.numeric.Gemm}, its pure-Java {@link dev.condense.numeric.JavaGemm}, and
 * {@link dev.condense.numeric.Blas}, which splits products over threads), the worker-thread pool
 * {@link dev.condense.numeric.Parallel}, and sparse CSR matrix products. The engine, k-means,
 * the pipeline, the runtime and the engine module's native GEMM all build on it.
 *
 * <p>May import: the JDK only, nothing of Condense (enforced by {@code LayeringTest}), so any
 * package may use it without pulling in a layer.
 */
package dev.condense.numeric;
