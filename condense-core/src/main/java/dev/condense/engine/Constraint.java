package dev.condense.engine;

/**
 * A rule the engine enforces on one weight tensor on every training step. Compression methods
 * declare constraints; the engine applies them to weights and gradients.
 */
public sealed interface Constraint {

  /**
   * Pruned weights stay exactly 0.0: {@code keep[i] == false} zeroes weight i and its gradient
   * (and momentum) on every step.
   */
  record Mask(boolean[] keep) implements Constraint {
    /** Number of weights kept. */
    public int kept() {
      int n = 0;
      for (boolean k : keep) {
        if (k) {
          n++;
        }
      }
      return n;
    }
  }

  /** The tensor is not updated at all. */
  record Frozen() implements Constraint {}

  /**
   * Trained quantization (Deep Compression §3.3, Eq. 3): weight i is {@code centroids[index[i]]}
   * ({@code index[i] == -1}: pruned, exactly 0.0). The indices stay fixed; each step updates every
   * centroid by the sum of the gradients of the weights that share it, then rebuilds the weights.
   */
  record Shared(int[] index, float[] centroids) implements Constraint {}
}
