package dev.condense.prune;

/**
 * Automated gradual pruning (Zhu & Gupta 2017, Eq. 1): sparsity rises from {@code initial} to
 * {@code target} over {@code steps} pruning steps as s_t = s_f + (s_i − s_f)(1 − t/n)³, pruning
 * fast while the network still has redundant weights and slowly near the end.
 */
public record GradualSchedule(double initial, double target, int steps) {

  public GradualSchedule {
    if (!(initial >= 0 && initial <= target && target < 1) || steps < 1) {
      throw new IllegalArgumentException("gradual pruning needs 0 ≤ initial ≤ target < 1 and steps ≥ 1");
    }
  }

  /** Sparsity after pruning step {@code t} (0 ≤ t ≤ steps; step `steps` reaches the target). */
  public double at(int t) {
    double f = 1 - Math.min(t, steps) / (double) steps;
    return target + (initial - target) * f * f * f;
  }
}
