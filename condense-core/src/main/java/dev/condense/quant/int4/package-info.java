/**
 * Block-wise 4-bit weights for Gemm and MatMul (weight-only: activations stay float): a scale,
 * and for the asymmetric form a zero point, per block of 32, 64 or 128 weights along the input
 * dimension; rounding to nearest or GPTQ's error-minimising rounding from calibration inputs
 * (Frantar et al. 2023); written as ONNX Runtime's {@code com.microsoft.MatMulNBits} or as
 * standard opset-21 DequantizeLinear (int4/uint4, {@code block_size}) before a MatMul, which the
 * engine runs itself as the simulation.
 *
 * <p>May import: {@code dev.condense}, {@code data}, {@code engine} (interfaces only: the caller
 * passes the engine), {@code graph}, {@code ops} and {@code onnx} (to write the contrib domain);
 * never {@code engine.cpu} (enforced by {@code LayeringTest}).
 */
package dev.condense.quant.int4;
