/**
 * The packed {@code .cdz} file (versioned header, sections, checksums) to and from
 * {@link dev.condense.graph.Model}, the per-tensor encodings, and the codebook-as-Gather ONNX
 * export.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code codec}, {@code onnx}; not
 * {@code prune} (a file format does not depend on how a model was compressed) and not
 * {@code engine.cpu} (both enforced by {@code LayeringTest}).
 */
package dev.condense.format;
