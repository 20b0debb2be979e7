package dev.condense.prune;

import java.util.Map;

/**
 * How magnitude pruning decides which connections go. Per-layer values are keyed by layer (node)
 * name; layers without a value use the default, and a NaN default leaves them untouched.
 */
public sealed interface PruningCriterion {

  /**
   * Han et al. 2015: prune |w| below quality × the standard deviation of the layer's surviving
   * weights.
   */
  record Quality(Map<String, Double> byLayer, double dflt) implements PruningCriterion {
    public Quality {
      byLayer = Map.copyOf(byLayer);
    }
  }

  /**
   * Prune the round(s·n) smallest-magnitude weights of each layer (rounding half to even, as
   * PyTorch's {@code l1_unstructured} does), where s is the layer's target sparsity in [0, 1].
   */
  record Sparsity(Map<String, Double> byLayer, double dflt) implements PruningCriterion {
    public Sparsity {
      byLayer = Map.copyOf(byLayer);
    }
  }

  /** One magnitude threshold across all prunable layers, chosen so overall sparsity is s. */
  record GlobalSparsity(double sparsity) implements PruningCriterion {}

  /** The value for {@code layer} from a per-layer map with a default. */
  static double valueFor(Map<String, Double> byLayer, double dflt, String layer) {
    return byLayer.getOrDefault(layer, dflt);
  }
}
