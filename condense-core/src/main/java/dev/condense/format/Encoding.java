package dev.condense.format;

/**
 * How a tensor section of a {@code .cdz} file stores its values (see docs/cdz-format.md). The
 * sparse encodings are Deep Compression's stages: P (pruned: relative indices + float values),
 * P+Q (+ a shared-weight codebook, indices into it), P+Q+H (+ Huffman codes for both).
 */
public enum Encoding {
  /** Raw little-endian values of any element type. */
  DENSE(0),
  /** P: relative-index sparse entries with float32 values. */
  SPARSE(1),
  /** P+Q: relative-index sparse entries with fixed-width codebook indices. */
  SPARSE_CODEBOOK(2),
  /** P+Q+H: relative-index sparse entries, gaps and indices Huffman-coded. */
  SPARSE_CODEBOOK_HUFFMAN(3),
  /** Non-negative integers (codes of vector quantizers, shapes) packed at the bits the largest needs. */
  PACKED(4);

  final int code;

  Encoding(int code) {
    this.code = code;
  }

  static Encoding of(int code) {
    for (Encoding e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return null;
  }
}
