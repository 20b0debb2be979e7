/**
 * INT8 post-training quantization to ONNX's QDQ form: BatchNorm folded into the layer before it,
 * activation ranges observed on a calibration set through the engine (min-max, percentile or
 * entropy), weights int8 symmetric per output channel, biases int32 at s_x·s_w, and Quantize /
 * DequantizeLinear laid out so that ONNX Runtime fuses every op it has an integer kernel for
 * ({@link dev.condense.ops.IntegerForm}). The engine runs the written model itself as the
 * quantized simulation. Quantization-aware training ({@link dev.condense.quant.int8.QuantizationAwareTraining})
 * trains a quantized model's fake-quantized form ({@link dev.condense.quant.int8.FakeQuantForm}) and
 * writes it back as the same QDQ model.
 *
 * <p>May import: {@code dev.condense}, {@code data}, {@code engine} (interfaces only: the caller
 * passes the engine), {@code graph}, {@code ops} and {@code onnx} (to list ONNX Runtime's optimized
 * graph); never {@code engine.cpu} (enforced by {@code LayeringTest}).
 */
package dev.condense.quant.int8;
