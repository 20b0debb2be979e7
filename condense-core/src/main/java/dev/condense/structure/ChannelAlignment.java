package dev.condense.structure;

/**
 * Rounds a layer's kept channel count to a multiple of a block size. Runtimes run convolutions
 * in blocked layouts: ONNX Runtime's NCHWc kernels take a Conv only when its channel counts are
 * multiples of 8 (AVX2) or 16 (AVX-512), and fall back to a much slower path otherwise — measured
 * here (bench/results/ort-alignment.md), a ResNet-20 thinned to 10/20/39 channels per stage ran no
 * faster than the original in spite of 1.61× fewer multiply-adds, while 8/24/40 channels ran 1.35×
 * faster. Pruning to aligned counts is what makes a thinner model a faster one.
 */
public final class ChannelAlignment {
  private ChannelAlignment() {}

  /**
   * {@code kept} rounded to the nearest multiple of {@code multiple}, at least one multiple and at
   * most {@code size}; unchanged with {@code multiple} ≤ 1 or a layer no wider than one multiple.
   */
  public static int keep(int size, int kept, int multiple) {
    if (multiple <= 1 || size <= multiple) {
      return kept;
    }
    int rounded = (int) Math.round((double) kept / multiple) * multiple;
    return Math.min(size, Math.max(multiple, rounded));
  }
}
