package dev.condense.prune;

import dev.condense.PerLayer;

/**
 * How magnitude pruning decides which connections go. Per-layer values are keyed by layer (node)
 * name; layers without a value use the default, and without a default they are left untouched.
 */
public sealed interface PruningCriterion {

  /**
   * Han et al. 2015: prune |w| below quality × the standard deviation of the layer's surviving
   * weights.
   */
  record Quality(PerLayer<Double> quality) implements PruningCriterion {}

  /**
   * Prune the round(s·n) smallest-magnitude weights of each layer (rounding half to even, as
   * PyTorch's {@code l1_unstructured} does), where s is the layer's target sparsity in [0, 1].
   */
  record Sparsity(PerLayer<Double> sparsity) implements PruningCriterion {}

  /** One magnitude threshold across all prunable layers, chosen so overall sparsity is s. */
  record GlobalSparsity(double sparsity) implements PruningCriterion {}

  /** For reports: "sparsity 0.9", "quality {ip1=1.2}", "global sparsity 0.8". */
  default String describe() {
    if (this instanceof Quality q) {
      return "quality " + q.quality().describe();
    }
    if (this instanceof Sparsity s) {
      return "sparsity " + s.sparsity().describe();
    }
    return "global sparsity " + ((GlobalSparsity) this).sparsity();
  }
}
