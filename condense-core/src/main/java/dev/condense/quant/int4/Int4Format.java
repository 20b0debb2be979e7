package dev.condense.quant.int4;

/** How a 4-bit layer is written: ONNX Runtime's MatMulNBits, or standard DequantizeLinear-21 → MatMul. */
public enum Int4Format {
  /** {@code com.microsoft.MatMulNBits}: ONNX Runtime's 4-bit kernel; other runtimes (and the engine) do not read it. */
  MATMULNBITS,
  /** DequantizeLinear (opset 21, int4/uint4, block_size) → MatMul: any opset-21 runtime, the engine included. */
  QDQ
}
