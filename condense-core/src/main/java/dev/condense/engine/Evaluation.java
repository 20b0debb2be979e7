package dev.condense.engine;

/**
 * The result of evaluating a classifier on a data set: sample count, mean cross-entropy, top-1
 * and top-5 accuracy (fractions in [0, 1]) and the top-1 prediction of every sample.
 */
public record Evaluation(int samples, double loss, double top1, double top5, int[] predictions) {

  /** Top-1 accuracy in percent. */
  public double top1Percent() {
    return 100 * top1;
  }

  public double top5Percent() {
    return 100 * top5;
  }

  @Override
  public String toString() {
    return String.format("top-1 %.2f%%, top-5 %.2f%%, loss %.4f on %d samples", 100 * top1, 100 * top5, loss, samples);
  }
}
