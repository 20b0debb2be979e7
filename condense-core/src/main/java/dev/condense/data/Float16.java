package dev.condense.data;

/**
 * IEEE 754 half precision (NumPy's float16) widened to float: every half value, subnormals,
 * infinities and NaN included, is exactly a float. Java 17 has no {@code Float.float16ToFloat}.
 */
final class Float16 {
  private Float16() {}

  /** The float the 16 bits {@code h} encode (sign 1, exponent 5, fraction 10). */
  static float toFloat(short h) {
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
}
