package dev.condense.ops;

/**
 * The arithmetic of an ONNX reduction, shared by the engine's kernel and load-time folding so
 * both compute the same thing: each output element is the reduction of the input elements that
 * map to it ({@link dev.condense.graph.ReduceSpec#target()}), accumulated in double.
 */
public enum Reduction {
  MEAN, SUM, MAX, MIN, L2, SUM_SQUARE;

  /**
   * Reduces {@code x} into {@code y}: input element i goes to output element {@code target[i]},
   * {@code count} of them to each. For MAX and MIN, {@code winner} (when not null) receives the
   * input index each output came from (the first, on ties).
   */
  public void forward(float[] x, int[] target, int count, float[] y, int[] winner) {
    double[] acc = new double[y.length];
    boolean extreme = this == MAX || this == MIN;
    if (extreme) {
      java.util.Arrays.fill(acc, this == MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    for (int i = 0; i < x.length; i++) {
      int t = target[i];
      double v = x[i];
      switch (this) {
        case MEAN, SUM -> acc[t] += v;
        case L2, SUM_SQUARE -> acc[t] += v * v;
        case MAX, MIN -> {
          if (this == MAX ? v > acc[t] : v < acc[t]) {
            acc[t] = v;
            if (winner != null) {
              winner[t] = i;
            }
          }
        }
      }
    }
    for (int t = 0; t < y.length; t++) {
      y[t] = (float) switch (this) {
        case MEAN -> acc[t] / count;
        case L2 -> Math.sqrt(acc[t]);
        default -> acc[t];
      };
    }
  }

  /**
   * The gradient of input element {@code x} whose output is {@code y} with gradient {@code dy};
   * not for MAX and MIN, whose gradient goes to the winning element only.
   */
  public float backward(float x, float y, float dy, int count) {
    return switch (this) {
      case MEAN -> dy / count;
      case SUM -> dy;
      case SUM_SQUARE -> 2 * x * dy;
      case L2 -> y == 0 ? 0 : x / y * dy;
      case MAX, MIN -> throw new IllegalStateException(this + " routes its gradient to the winning element");
    };
  }
}
