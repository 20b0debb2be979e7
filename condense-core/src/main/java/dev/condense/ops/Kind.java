package dev.condense.ops;

/**
 * What an op does, in the terms passes reason in: a pass asks for the kind ("is this a layer
 * with weights?", "is this element-wise?") instead of comparing op names.
 */
public enum Kind {
  /** A convolution over channels, with a weight (Conv). */
  CONVOLUTION,
  /**
   * A transposed convolution (ConvTranspose): a layer with a weight of layout [C_in, C_out/group,
   * k...], input channels on weight axis 0 and output channels on axis 1, the reverse of Conv's.
   * Connection pruning and weight sharing reach its weight through {@link Op#weightSlot()}; it is
   * not {@link #isLayer()}, because the passes that work on a layer's filters read Conv's layout.
   */
  TRANSPOSED_CONVOLUTION,
  /** A matrix product, a fully connected layer when its second input is a weight (Gemm, MatMul). */
  FULLY_CONNECTED,
  /** One output element from one input element (activations: Relu, Sigmoid, Clip, PRelu with its slope, ...). */
  ELEMENTWISE_UNARY,
  /**
   * Two or more inputs combined element by element with broadcasting (Add, Sub, Mul, Div, Pow,
   * Sum, Max; the comparisons and logic ops, whose output is a bool mask; Where).
   */
  ELEMENTWISE_BINARY,
  /** Per-channel normalization with statistics (BatchNormalization). */
  NORMALIZATION,
  /** Standardisation by each sample's own statistics, no running ones (LayerNormalization, InstanceNormalization). */
  STANDARDIZATION,
  /** Pooling over spatial windows (MaxPool, AveragePool). */
  POOLING,
  /** A reduction of whole axes (GlobalAveragePool). */
  REDUCTION,
  /** Scores turned into a probability distribution along an axis (Softmax). */
  DISTRIBUTION,
  /** The same data under another shape (Identity, Flatten, Reshape). */
  VIEW,
  /** Noise during training only, the identity at inference (Dropout). */
  REGULARIZATION,
  /** Elements copied to other places (Concat, Pad, Slice, Transpose, Gather). */
  MOVEMENT,
  /** The element type changed (Cast). */
  CONVERSION,
  /** A value held by the node itself (Constant). */
  CONSTANT,
  /** A sequence run through a recurrent cell with weights, over time (LSTM, GRU, RNN). */
  RECURRENT,
  /** A tensor made from a shape, or a shape made from a tensor (ConstantOfShape, Range, Shape, Size). */
  GENERATOR;

  /** Whether the op is a convolution of either direction (Han retrains these apart from fully connected layers). */
  public boolean isConvolution() {
    return this == CONVOLUTION || this == TRANSPOSED_CONVOLUTION;
  }

  /** Whether ops of this kind are layers: they hold the weights pruning and quantization work on. */
  public boolean isLayer() {
    return this == CONVOLUTION || this == FULLY_CONNECTED;
  }
}
