package dev.condense.engine.cpu;

/**
 * Branch-free float selections through sign-bit masks. On activations, which of two values wins
 * is a coin toss, and the JIT compiles float ternaries to branches: a misprediction per element
 * made Relu ten times and max pooling three times slower than these.
 */
final class Bits {
  private Bits() {}

  /** All bits set where {@code b > a}, else 0. */
  static int greater(float b, float a) {
    return Float.floatToRawIntBits(a - b) >> 31;
  }

  /** All bits set where {@code v > 0} (not for ±0 or negatives), else 0. */
  static int positive(float v) {
    int b = Float.floatToRawIntBits(v);
    return (-b & ~b) >> 31;
  }

  /** All bits set where the sign bit of {@code v} is set (negatives and −0). */
  static int negative(float v) {
    return Float.floatToRawIntBits(v) >> 31;
  }

  /** {@code ifSet} where {@code mask} is all ones, else {@code otherwise}. */
  static float select(int mask, float ifSet, float otherwise) {
    return Float.intBitsToFloat((Float.floatToRawIntBits(ifSet) & mask)
        | (Float.floatToRawIntBits(otherwise) & ~mask));
  }

  /** {@code v} where {@code mask} is all ones, else 0. */
  static float keep(int mask, float v) {
    return Float.intBitsToFloat(Float.floatToRawIntBits(v) & mask);
  }
}
