package dev.condense.ops;

import dev.condense.graph.DType;
import dev.condense.graph.Tensor;

/** Copying elements of constants, for the ops that fold by moving them (Slice, Transpose). */
final class Elements {
  private Elements() {}

  /** The elements of {@code t} at flat indices {@code src}, shaped {@code shape}, in t's type. */
  static Tensor take(Tensor t, int[] src, int[] shape) {
    if (t.dtype() == DType.FLOAT) {
      float[] v = t.floats();
      float[] out = new float[src.length];
      for (int i = 0; i < src.length; i++) {
        out[i] = v[src[i]];
      }
      return Tensor.of(out, shape);
    }
    long[] v = t.toLongs();
    long[] out = new long[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = v[src[i]];
    }
    return Cast.to(Tensor.ofLongs(out, shape), t.dtype());
  }
}
