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

  /**
   * The share of samples on which this evaluation and {@code other} (of the same data, in the
   * same order) predict the same class; 1 for no samples.
   */
  public double agreement(Evaluation other) {
    int same = 0;
    for (int i = 0; i < predictions.length; i++) {
      same += predictions[i] == other.predictions[i] ? 1 : 0;
    }
    return predictions.length == 0 ? 1 : (double) same / predictions.length;
  }

  @Override
  public String toString() {
    return String.format("top-1 %.2f%%, top-5 %.2f%%, loss %.4f on %d samples", 100 * top1, 100 * top5, loss, samples);
  }
}
