package dev.condense.pipeline;

import dev.condense.engine.Evaluation;

/**
 * The state after one step of a pipeline: test accuracy, prunable weights kept out of all
 * prunable weights, all parameters, and the step's wall time.
 */
public record Stage(String step, String detail, Evaluation test, long weightsKept, long weightsTotal,
    long params, double seconds) {

  public double density() {
    return weightsTotal == 0 ? 1 : (double) weightsKept / weightsTotal;
  }
}
