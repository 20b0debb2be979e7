package dev.condense.ops;

/**
 * How an op runs on 8-bit integers in ONNX Runtime's QDQ form, which decides how the INT8
 * quantizer lays Quantize/DequantizeLinear around it so that the runtime fuses it (its
 * {@code QDQSelectorActionTransformer} rules; {@code docs/int8.md}).
 */
public enum IntegerForm {
  /** No integer kernel: the op would stay in float between a Dequantize and a Quantize. */
  NONE,
  /**
   * A layer with an integer kernel (QLinearConv, QGemm, QLinearMatMul): dequantized data input,
   * int8 weight per output channel, int32 bias at scale s_x·s_w, its output quantized.
   */
  LAYER,
  /**
   * An op with an integer kernel of its own output scale (QLinearAdd, QLinearMul,
   * QLinearAveragePool, QLinearGlobalAveragePool, QLinearConcat): dequantized inputs, its output
   * observed and quantized.
   */
  REQUANTIZED,
  /**
   * An op whose every output element is one of its input's (MaxPool, Flatten, Reshape): the
   * runtime drops its Dequantize and Quantize when both have the same scale and zero point, so
   * its output is quantized with its input's.
   */
  SAME_SCALE,
  /**
   * An op whose output elements are its input's or one fill value (Pad), which the runtime has an
   * 8-bit kernel for but no QDQ rule: written on the integers themselves, between the Quantize
   * before it and the Dequantize after it, with its input's scale and zero point; a constant fill
   * of 0 becomes the zero point.
   */
  ON_INTEGERS,
  /**
   * Relu (and Clip, ReLU6): removed by the runtime when the Quantize after it has the type's lowest
   * value as zero point, which a range starting at 0 gives (and, for Clip, when its max holds the
   * quantized range); the op before it is quantized after the Relu.
   */
  ABSORBED
}
