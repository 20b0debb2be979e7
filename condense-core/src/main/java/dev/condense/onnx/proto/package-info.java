/**
 * Protobuf classes generated at build time from the repository's {@code src/main/proto/onnx.proto}
 * (ONNX's published field numbers). Only {@code dev.condense.onnx} uses them.
 *
 * <p>May import: protobuf-java only (generated code).
 */
package dev.condense.onnx.proto;
