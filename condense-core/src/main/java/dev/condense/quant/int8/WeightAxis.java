package dev.condense.quant.int8;

import dev.condense.graph.Node;

/**
 * The output-channel axis of a layer's weight: 0 for a Conv ([out, in/groups, k...]) and a Gemm
 * with transB = 1 ([out, in], as PyTorch exports), the last for a Gemm with transB = 0 or a
 * MatMul ([in, out]).
 */
final class WeightAxis {
  private WeightAxis() {}

  static int of(Node layer, int rank) {
    if (rank > 2) {
      return 0; // a convolution kernel
    }
    return layer.intAttr("transB", 0) == 1 ? 0 : rank - 1;
  }
}
