package dev.condense.quant.int4;

/** How 4-bit codes are chosen: each weight to its nearest code, or GPTQ's error-minimising order ({@link Gptq}). */
public enum Int4Rounding {
  RTN,
  GPTQ
}
