package dev.condense.quant.int8;

/** The float range [min, max] an observer chose for one tensor; quantization maps it onto the integers. */
public record Range(float min, float max) {
  public Range {
    if (!(min <= max)) {
      throw new IllegalArgumentException("range [" + min + ", " + max + "] is empty or NaN");
    }
  }
}
