/**
 * Reports: per-layer tables (parameters, non-zeros, bits, bytes, multiply-adds), the papers'
 * reference numbers, and Markdown/JSON renderings of pruning, structure and Deep Compression
 * results. Reports compute and format; they never print.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code onnx}, {@code codec},
 * {@code format}, {@code engine} (evaluation results); not {@code engine.cpu}.
 */
package dev.condense.report;
