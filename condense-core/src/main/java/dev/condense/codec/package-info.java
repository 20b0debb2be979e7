/**
 * Bit-level coding for the packed file format: bit I/O, canonical Huffman codes and Deep
 * Compression's relative-index sparse encoding (CSR/CSC with filler zeros).
 *
 * <p>May import: {@code dev.condense} (errors) only.
 */
package dev.condense.codec;
