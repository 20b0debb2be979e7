package dev.condense.plan;

import dev.condense.graph.Model;

/**
 * Times one layer for a {@link LatencyTable}: the median milliseconds of one run of a one-layer
 * model ({@link LayerModels}: a Conv, Gemm or MatMul with its weights, one input at the table's
 * batch). The command line times ONNX Runtime; a library user may time their own device. Core
 * never runs a runtime itself: the timer is a parameter.
 */
public interface LayerTimer {

  /** Median milliseconds of one run of {@code layer}, whose one input has a fixed shape (its batch first). */
  double ms(Model layer);

  /**
   * What the times depend on besides the layer — the runtime and its thread count, e.g.
   * {@code "onnxruntime-t1"}: part of the cache file's name, so tables of different settings never mix.
   * Letters, digits, '-' and '.' only.
   */
  String setting();
}
