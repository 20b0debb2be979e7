package dev.condense.engine;

/**
 * Accumulates a classifier's logits batch by batch into an {@link Evaluation}: loss, top-1,
 * top-5 and the prediction of every sample. Whatever runs the model (the engine, ONNX Runtime,
 * the .cdz runtime), the numbers come from this one place.
 */
public final class Scorer {
  private final int[] predictions;
  private int seen;
  private double lossSum;
  private long top1;
  private long top5;

  public Scorer(int samples) {
    predictions = new int[samples];
  }

  /** Adds a batch: logits [n, k] row-major, and the n labels. */
  public void add(float[] logits, int n, int k, int[] labels) {
    SoftmaxCrossEntropy.Stats st = SoftmaxCrossEntropy.apply(logits, n, k, labels, predictions, seen, null);
    seen += n;
    lossSum += st.lossSum();
    top1 += st.top1();
    top5 += st.top5();
  }

  public Evaluation result() {
    int n = Math.max(1, seen);
    return new Evaluation(seen, lossSum / n, (double) top1 / n, (double) top5 / n,
        java.util.Arrays.copyOf(predictions, seen));
  }
}
