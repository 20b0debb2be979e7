package dev.condense.graph;

import java.util.TreeSet;

/**
 * The one place that answers "what is this weight's mask, what is its codebook": the model's
 * {@link Annotations} where it has them, else what the values imply — a weight that is exactly
 * 0.0 counts as pruned, and the distinct non-zero values form the codebook. The fallback is for
 * models that carry no annotations (ONNX files from elsewhere, weights no method annotated); it
 * lives here and nowhere else.
 */
public final class CompressionState {
  private CompressionState() {}

  /** The weight's kept connections (shared array: do not modify): its mask, else its non-zeros. */
  public static boolean[] keep(Model m, String weight) {
    WeightAnnotation.Mask mask = m.annotations().mask(weight);
    if (mask != null) {
      return mask.keep();
    }
    float[] d = m.graph().initializer(weight).floats();
    boolean[] k = new boolean[d.length];
    for (int i = 0; i < d.length; i++) {
      k[i] = d[i] != 0f;
    }
    return k;
  }

  /** Number of kept connections of the weight (see {@link #keep}). */
  public static long kept(Model m, String weight) {
    long n = 0;
    for (boolean b : keep(m, weight)) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /**
   * The distinct non-zero values the weight's elements take, ascending, as its codebook says
   * ({@link WeightAnnotation.Codebook#sortedValues}) or, without one, as its values are; null if
   * there are more than {@code max}. The same array either way, since a codebook decodes to the
   * weight.
   */
  public static float[] sortedCodebook(Model m, String weight, int max) {
    WeightAnnotation.Codebook cb = m.annotations().codebook(weight);
    return cb != null ? cb.sortedValues(max) : distinctNonZero(m.graph().initializer(weight).floats(), max);
  }

  /** The distinct non-zero values of {@code w}, sorted, or null if there are more than {@code max}. */
  public static float[] distinctNonZero(float[] w, int max) {
    TreeSet<Float> set = new TreeSet<>();
    for (float v : w) {
      if (v != 0f && set.add(v) && set.size() > max) {
        return null;
      }
    }
    float[] c = new float[set.size()];
    int i = 0;
    for (float v : set) {
      c[i++] = v;
    }
    return c;
  }
}
