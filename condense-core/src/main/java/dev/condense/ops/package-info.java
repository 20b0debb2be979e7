/**
 * The op table: every ONNX operator Condense supports, each defined once ({@link
 * dev.condense.ops.Op}) — its opset, its kind, shape inference, constant folding, channel rule,
 * multiply-adds, parameter and shape slots, and which engine kernel runs it — and looked up by
 * op type in an immutable {@link dev.condense.ops.OpTable}. Also the passes that are nothing but
 * the table applied to a graph: {@link dev.condense.ops.ShapeInference} (with folding), the
 * logits value and the learnable parameter count.
 *
 * <p>Outside this package no code compares op names; it asks the node's op (a test scans the
 * sources for it). Adding an op is one file here plus its tests: {@code docs/adding-an-op.md}.
 *
 * <p>May import: {@code dev.condense} (exceptions) and {@code dev.condense.graph} only. The
 * engine depends on this package, never the reverse: an op names its kernel through
 * {@link dev.condense.ops.EngineKernels}, which the engine implements.
 */
package dev.condense.ops;
