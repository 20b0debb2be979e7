/**
 * Condense's CPU engine: a {@link dev.condense.engine.Engine} that compiles a graph into
 * im2col + GEMM kernels with hand-written backward passes, SGD under constraints, and sparse
 * fully connected inference. Only whoever chooses an engine (the CLI, the engine module, the
 * .cdz runtime, benchmarks) names this package.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code onnx} (the op check), {@code data},
 * {@code engine}, {@code numeric}, {@code format} (codebooks of sparse weights); not
 * {@code runtime}, which is built on it (enforced by {@code LayeringTest}).
 */
package dev.condense.engine.cpu;
