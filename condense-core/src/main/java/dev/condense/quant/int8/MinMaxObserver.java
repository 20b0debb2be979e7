package dev.condense.quant.int8;

/** The smallest and largest value seen, widened to contain 0: nothing saturates on the calibration set. */
public final class MinMaxObserver implements Observer {
  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;

  /** Min-max calibration. */
  public static Factory factory() {
    return new Factory("minmax", MinMaxObserver::new);
  }

  @Override
  public void observe(float[] x, int count) {
    for (int i = 0; i < count; i++) {
      min = Math.min(min, x[i]);
      max = Math.max(max, x[i]);
    }
  }

  @Override
  public Range range() {
    if (min > max) {
      return new Range(0, 0);
    }
    return new Range(Math.min(min, 0), Math.max(max, 0));
  }
}
