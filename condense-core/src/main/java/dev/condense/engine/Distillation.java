package dev.condense.engine;

import dev.condense.CondenseException;

/**
 * Knowledge distillation (Hinton et al. 2015, "Distilling the Knowledge in a Neural Network"):
 * while a compressed model is fine-tuned, it also learns to match the softened outputs of the
 * model it was compressed from. The loss per sample is
 * {@code (1 − α)·CE(z, label) + α·T²·KL(softmax(t/T) ‖ softmax(z/T))}, whose gradient with respect
 * to the student's logits z is {@code (1 − α)(softmax(z) − onehot) + α·T·(softmax(z/T) − softmax(t/T))}
 * (§2: the T² keeps the soft term's gradient scale independent of T). Useful where the training
 * set is fitted almost perfectly and the labels alone carry little signal left.
 *
 * @param teacherLogits the teacher's logits for every sample of the training set, [samples, classes]
 * @param classes the number of classes
 * @param temperature T, at least 1 softens the teacher's distribution
 * @param alpha the weight of the soft term, in [0, 1]
 */
public record Distillation(float[] teacherLogits, int classes, double temperature, double alpha) {

  public Distillation {
    if (classes < 1 || teacherLogits.length % classes != 0) {
      throw new CondenseException("teacher logits of length " + teacherLogits.length + " are not a whole number of "
          + classes + "-class rows");
    }
    if (!(temperature > 0) || temperature > 100) {
      throw new CondenseException("distillation temperature must be in (0, 100], got " + temperature);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new CondenseException("distillation weight alpha must be in [0, 1], got " + alpha);
    }
  }

  /** The number of samples the teacher's logits cover. */
  public int samples() {
    return teacherLogits.length / classes;
  }

  /**
   * Turns {@code grad}, the gradient of the batch's mean cross-entropy with respect to the
   * student's logits [n, classes], into the gradient of the mean distillation loss. Sample b of the
   * batch is training sample {@code order[from + b]} ({@code from + b} when order is null).
   */
  public void blend(float[] logits, int n, int[] order, int from, float[] grad) {
    double[] student = new double[classes];
    double[] teacher = new double[classes];
    for (int b = 0; b < n; b++) {
      int sample = order == null ? from + b : order[from + b];
      softmax(logits, b * classes, student);
      softmax(teacherLogits, sample * classes, teacher);
      for (int j = 0; j < classes; j++) {
        int i = b * classes + j;
        grad[i] = (float) ((1 - alpha) * grad[i] + alpha * temperature * (student[j] - teacher[j]) / n);
      }
    }
  }

  /** softmax(v[off..off+classes) / T) into {@code out}. */
  private void softmax(float[] v, int off, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < classes; j++) {
      max = Math.max(max, v[off + j] / temperature);
    }
    double sum = 0;
    for (int j = 0; j < classes; j++) {
      out[j] = Math.exp(v[off + j] / temperature - max);
      sum += out[j];
    }
    for (int j = 0; j < classes; j++) {
      out[j] /= sum;
    }
  }
}
