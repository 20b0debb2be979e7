package dev.condense;

/**
 * The 16-bit floating-point formats ONNX stores weights in, converted to and from float32:
 * IEEE 754 half precision (NumPy's float16) and bfloat16. Widening is exact; narrowing rounds to
 * nearest, ties to even, as NumPy's {@code astype(np.float16)} does (IEEE 754 §4.3.1), and keeps
 * NaN a NaN. Java 17 has no {@code Float.floatToFloat16}.
 */
public final class HalfFloats {
  private HalfFloats() {}

  /** The float the 16 bits {@code h} encode in half precision (sign 1, exponent 5, fraction 10). */
  public static float halfToFloat(short h) {
    int sign = (h >>> 15) & 1;
    int exponent = (h >>> 10) & 0x1f;
    int fraction = h & 0x3ff;
    float magnitude;
    if (exponent == 0x1f) {
      magnitude = fraction == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else if (exponent == 0) {
      magnitude = fraction * 0x1p-24f; // subnormal: fraction × 2^-14 × 2^-10
    } else {
      magnitude = Float.intBitsToFloat(((exponent + 112) << 23) | (fraction << 13));
    }
    return sign == 0 ? magnitude : -magnitude;
  }

  /** The half-precision bits nearest to {@code f} (ties to even; overflow to infinity). */
  public static short floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs >= 0x7f800000) { // infinity or NaN (NaN keeps a quiet fraction bit)
      return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0));
    }
    if (abs >= 0x477ff000) { // rounds to at least 65520: beyond the largest half, 65504
      return (short) (sign | 0x7c00);
    }
    if (abs < 0x38800000) { // below 2^-14: a subnormal half (or zero)
      // The value in units of 2^-24, rounded to nearest even; float arithmetic is exact here.
      float scaled = Float.intBitsToFloat(abs) * 0x1p24f;
      return (short) (sign | (int) Math.rint(scaled));
    }
    // Normal: rebias the exponent and round the 13 dropped fraction bits, ties to even; a carry
    // into the exponent is the right result (it may reach infinity only above, excluded).
    int half = abs - (112 << 23);
    int dropped = half & 0x1fff;
    int kept = half >>> 13;
    if (dropped > 0x1000 || (dropped == 0x1000 && (kept & 1) == 1)) {
      kept++;
    }
    return (short) (sign | kept);
  }

  /** The float the 16 bits {@code b} encode in bfloat16: the upper half of a float32. */
  public static float bfloat16ToFloat(short b) {
    return Float.intBitsToFloat((b & 0xffff) << 16);
  }

  /** The bfloat16 bits nearest to {@code f} (ties to even, NaN kept quiet). */
  public static short floatToBfloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }
}
