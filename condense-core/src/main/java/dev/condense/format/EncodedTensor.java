package dev.condense.format;

/**
 * A tensor section's payload and what its bits are spent on: {@code weightBits} for values,
 * codebook and symbol codes (with their Huffman table), {@code indexBits} for the relative
 * indices (with theirs), over {@code nonzeros} stored non-zero weights.
 */
public record EncodedTensor(Encoding encoding, byte[] payload, long weightBits, long indexBits, long nonzeros,
    TensorEncoder.Layout layout, int gapBits) {

  /** Average bits per stored non-zero weight spent on values. */
  public double weightBitsPerNonzero() {
    return nonzeros == 0 ? 0 : (double) weightBits / nonzeros;
  }

  public double indexBitsPerNonzero() {
    return nonzeros == 0 ? 0 : (double) indexBits / nonzeros;
  }
}
