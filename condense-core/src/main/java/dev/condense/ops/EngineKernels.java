package dev.condense.ops;

import dev.condense.graph.Node;

/**
 * The kinds of kernel an engine provides, one method each; an op picks its kernel by calling one
 * ({@link Op#kernel}). The engine implements this interface, so {@code ops} never depends on
 * an engine, and a new op that fits an existing kernel (a new activation through
 * {@link #unary}) needs no change to the engine.
 *
 * @param <K> the engine's kernel type
 */
public interface EngineKernels<K> {
  K convolution(Node n);

  /** ConvTranspose: the input gradient of a convolution, as a forward pass. */
  K transposedConvolution(Node n);

  /** Resize: each output element a weighted sum of input elements (nearest or linear taps). */
  K resize(Node n);

  /** MaxPool ({@code max}) or AveragePool over spatial windows. */
  K pool(Node n, boolean max);

  K globalAveragePool(Node n);

  K gemm(Node n);

  K matMul(Node n);

  /** Einsum of one or two operands ({@link EinsumEquation}). */
  K einsum(Node n);

  K binary(Node n, BinaryMath math);

  /** A built-in activation with its specialised loops. */
  K activation(Node n, Activation activation);

  /** Any other element-wise function, by its math. */
  K unary(Node n, UnaryMath math);

  K batchNormalization(Node n);

  K softmax(Node n);

  /** Softmax's logarithm along the node's axis (LogSoftmax). */
  K logSoftmax(Node n);

  /** Sum, Mean, Max or Min of any number of broadcast inputs. */
  K variadic(Node n, VariadicMath math);

  K concat(Node n);

  /** Every output element copies one input element or the fill value: Pad ({@code padding}) or Slice. */
  K indexMap(Node n, boolean padding);

  K dropout(Node n);

  /** Equal, Greater, Less, And or Not: a mask of float 0 and 1, through which no gradient flows. */
  K logic(Node n, Logic logic);

  /** Where: each element from X (input 1) where the mask (input 0) is set, else from Y, broadcast. */
  K where(Node n);

  /** Every output element copies the input element {@code map} names (Transpose, Gather). */
  K elementCopy(Node n, ElementMap map);

  /** Gather by run-time indices (an embedding lookup); {@code map} copies by indices that are constant. */
  K gather(Node n, ElementMap map);

  /** The output shares the first input's data ({@link Op#isView}). */
  K view(Node n);

  /** A reduction of whole axes (ReduceMean, ReduceSum, ...). */
  K reduce(Node n, Reduction reduction);

  /** ArgMax: int64 indices, forward only. */
  K argMax(Node n);

  K layerNormalization(Node n);

  K instanceNormalization(Node n);

  /** Split: one input cut into several outputs along an axis. */
  K split(Node n);

  /** Tile and Expand: every output element copies one input element, repeating it ({@code IndexMaps.repeat}). */
  K repeat(Node n);

  /** LSTM, GRU or RNN over a whole sequence, with backpropagation through time. */
  K recurrent(Node n, RecurrentCell cell);

  /** ScatterND: the data with slices at constant index tuples replaced by (or added to) the updates. */
  K scatter(Node n);

  /** QuantizeLinear ({@code quantize}) or DequantizeLinear: integers held as floats ({@link LinearQuantization}). */
  K linearQuantization(Node n, boolean quantize);

  /** QLinearConv: a convolution of 8-bit integers accumulated in int32 and requantized. */
  K qlinearConvolution(Node n);

  /** The op has no kernel (it is computed at load time only); the engine reports it. */
  K none(Node n);
}
