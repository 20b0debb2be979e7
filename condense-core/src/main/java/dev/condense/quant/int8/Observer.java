package dev.condense.quant.int8;

/**
 * Watches one activation tensor over the calibration batches and then chooses the range its
 * integers cover. Min-max keeps every value; percentile and entropy clip outliers to spend the
 * 256 levels on where the values are.
 */
public interface Observer {
  /** Takes the first {@code count} values of {@code x}. */
  void observe(float[] x, int count);

  /** The range to quantize to, once every batch was observed; it always contains 0 (ONNX's zero is exact). */
  Range range();

  /**
   * Makes one observer per tensor.
   *
   * @param label what the method is called in reports ("minmax", "percentile=99.99", "entropy")
   */
  record Factory(String label, java.util.function.Supplier<Observer> maker) {
    public Observer create() {
      return maker.get();
    }
  }
}
