package dev.condense.graph;

import java.util.SplittableRandom;

/**
 * Seeded random tensors for new layers: the zoo's networks and layers that passes add (e.g. the
 * classifier of a global-average-pool head) are initialised the same way, from the caller's
 * stream, so a seed gives the same model.
 */
public final class RandomTensor {
  private RandomTensor() {}

  /** A tensor of {@code shape} drawn uniformly from [-bound, bound] (PyTorch's default layer initialisation). */
  public static Tensor uniform(SplittableRandom random, float bound, int... shape) {
    float[] d = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return Tensor.of(d, shape);
  }
}
