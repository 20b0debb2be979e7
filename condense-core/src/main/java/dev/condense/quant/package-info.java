/**
 * Quantization: 1-D k-means (exact and Lloyd's), k-means++ on vectors, scalar, product and
 * residual vector quantizers (Gong 2014) and codebooks for trained quantization (Deep
 * Compression).
 *
 * <p>May import: {@code dev.condense}, {@code graph} and {@code numeric} (GEMM, threads); never
 * {@code engine.cpu} (enforced by {@code LayeringTest}).
 */
package dev.condense.quant;
