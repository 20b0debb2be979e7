/**
 * ONNX files to and from {@link dev.condense.graph.Model}: the protobuf codecs, the reader and
 * writer, and the model checker that names the unsupported op or bad value.
 *
 * <p>May import: {@code dev.condense}, {@code graph} and the generated {@code onnx.proto}; not
 * {@code engine.cpu} (enforced by {@code LayeringTest}).
 */
package dev.condense.onnx;
