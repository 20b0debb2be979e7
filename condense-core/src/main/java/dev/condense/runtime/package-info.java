/**
 * Pure-Java inference of compressed models: runs a {@code .cdz} file directly on the CPU
 * engine's sparse and codebook kernels over the Java GEMM, with no native code, so it also runs
 * where only condense-core is shipped.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code data}, {@code format},
 * {@code numeric}, {@code ops} (the QDQ fusion), {@code engine} and {@code engine.cpu} (it sits above the engine; the engine
 * never imports it).
 */
package dev.condense.runtime;
