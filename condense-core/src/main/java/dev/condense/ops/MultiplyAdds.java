package dev.condense.ops;

import dev.condense.graph.ValueType;

/** Multiply-add counts of the layers, per sample of the batch. */
final class MultiplyAdds {
  private MultiplyAdds() {}

  /** {@code perOutput} multiply-adds for each element of {@code out}, divided by its batch size. */
  static long perSample(ValueType out, long perOutput) {
    return out.size() * perOutput / Math.max(1, out.rank() > 1 ? out.dim(0) : 1);
  }
}
