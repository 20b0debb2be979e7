package dev.condense.ops;

import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.function.Function;

/**
 * An op whose every output element copies one input element, at a place that depends only on
 * shapes and constant inputs (Transpose's permutation, Gather's constant indices). The same map
 * folds constants at load time and drives the engine's gather-forward, scatter-backward kernel.
 */
@FunctionalInterface
public interface ElementMap {
  /**
   * For each element of the node's output, in row-major order, the flat index of the element
   * of input 0 (shape {@code in}) it copies; {@code constants} gives the node's constant inputs.
   */
  int[] sources(Node n, int[] in, Function<String, Tensor> constants);
}
