package dev.condense.engine;

/**
 * The classification loss: mean over the batch of −log softmax(z)[label], and its gradient
 * (softmax(z) − onehot(label)) / batch. Also counts top-1 and top-5 hits. Engines use it for
 * training; anything that produces logits (ONNX Runtime, the .cdz runtime) scores with it, so
 * every accuracy Condense reports is computed the same way.
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  /** Loss sum and hit counts of one batch. */
  public record Stats(double lossSum, int top1, int top5) {}

  /**
   * Reads logits [n, k], writes top-1 predictions into {@code pred} if given, and the gradient
   * of the mean loss into {@code grad} if given.
   */
  public static Stats apply(float[] logits, int n, int k, int[] labels, int[] pred, int predOff,
      float[] grad) {
    double lossSum = 0;
    int top1 = 0;
    int top5 = 0;
    for (int b = 0; b < n; b++) {
      int off = b * k;
      int label = labels[b];
      if (label < 0 || label >= k) {
        throw new dev.condense.CondenseException("label " + label + " is out of range for a model with " + k + " outputs");
      }
      float max = Float.NEGATIVE_INFINITY;
      int arg = 0;
      for (int j = 0; j < k; j++) {
        if (logits[off + j] > max) {
          max = logits[off + j];
          arg = j;
        }
      }
      float target = logits[off + label];
      int above = 0;
      for (int j = 0; j < k; j++) {
        float v = logits[off + j];
        // A NaN anywhere makes the sample wrong (NaN compares false, which would count it right).
        if (v > target || (v == target && j < label) || v != v) {
          above += v != v ? k : 1;
        }
      }
      top1 += above == 0 ? 1 : 0;
      top5 += above < 5 ? 1 : 0;
      if (pred != null) {
        pred[predOff + b] = above >= k ? -1 : arg;
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(logits[off + j] - max);
      }
      double logZ = max + Math.log(sum);
      lossSum += logZ - target;
      if (grad != null) {
        for (int j = 0; j < k; j++) {
          double p = Math.exp(logits[off + j] - logZ);
          grad[off + j] = (float) ((p - (j == label ? 1 : 0)) / n);
        }
      }
    }
    return new Stats(lossSum, top1, top5);
  }
}
