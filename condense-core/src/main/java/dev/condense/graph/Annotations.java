package dev.condense.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compression state a {@link Model} carries, by initializer name: at most one mask and one
 * codebook per weight (a pruned and quantized weight has both; its codebook's -1 entries are its
 * mask's pruned ones). Immutable.
 *
 * <p>How annotations travel: a copy of the model with a changed graph ({@link Model#withGraph})
 * keeps every annotation whose tensor is unchanged or still obeys it, and drops the others — a
 * weight that a method rewrote without honouring its mask or codebook (least-squares
 * reconstruction, training without constraints) has lost that state, and {@link
 * CompressionState} then reads it from the values again. Methods that change a weight's shape
 * carry its annotations explicitly ({@code structure.Thinning} cuts them with the same slices).
 * Setting an annotation that does not describe its tensor is an error ({@link Model#withAnnotations}).
 */
public record Annotations(Map<String, WeightAnnotation.Mask> masks, Map<String, WeightAnnotation.Codebook> codebooks) {

  /** No annotations. */
  public static final Annotations NONE = new Annotations(Map.of(), Map.of());

  public Annotations {
    masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks));
    codebooks = Collections.unmodifiableMap(new LinkedHashMap<>(codebooks));
  }

  /** The weight's mask, or null. */
  public WeightAnnotation.Mask mask(String weight) {
    return masks.get(weight);
  }

  /** The weight's codebook, or null. */
  public WeightAnnotation.Codebook codebook(String weight) {
    return codebooks.get(weight);
  }

  public boolean isEmpty() {
    return masks.isEmpty() && codebooks.isEmpty();
  }

  /** A copy with {@code a} set for {@code weight} (replacing one of the same kind). */
  public Annotations with(String weight, WeightAnnotation a) {
    Map<String, WeightAnnotation.Mask> m = new LinkedHashMap<>(masks);
    Map<String, WeightAnnotation.Codebook> c = new LinkedHashMap<>(codebooks);
    if (a instanceof WeightAnnotation.Mask mask) {
      m.put(weight, mask);
    } else if (a instanceof WeightAnnotation.Codebook cb) {
      c.put(weight, cb);
    }
    return new Annotations(m, c);
  }

  /** A copy with every annotation of {@code other} set over these. */
  public Annotations with(Annotations other) {
    Map<String, WeightAnnotation.Mask> m = new LinkedHashMap<>(masks);
    Map<String, WeightAnnotation.Codebook> c = new LinkedHashMap<>(codebooks);
    m.putAll(other.masks);
    c.putAll(other.codebooks);
    return new Annotations(m, c);
  }

  /** Throws unless every annotation describes its tensor in {@code g}. */
  public void check(Graph g) {
    masks.forEach((w, a) -> a.check(w, g.initializer(w)));
    codebooks.forEach((w, a) -> a.check(w, g.initializer(w)));
  }

  /** The annotations that still describe their tensors in {@code g}; the others are dropped. */
  public Annotations thatHold(Graph g) {
    if (isEmpty()) {
      return this;
    }
    Map<String, WeightAnnotation.Mask> m = new LinkedHashMap<>();
    masks.forEach((w, a) -> {
      if (holds(a, g.initializer(w))) {
        m.put(w, a);
      }
    });
    Map<String, WeightAnnotation.Codebook> c = new LinkedHashMap<>();
    codebooks.forEach((w, a) -> {
      if (holds(a, g.initializer(w))) {
        c.put(w, a);
      }
    });
    return m.size() == masks.size() && c.size() == codebooks.size() ? this : new Annotations(m, c);
  }

  private static boolean holds(WeightAnnotation a, Tensor t) {
    return t != null && a.holds(t);
  }
}
