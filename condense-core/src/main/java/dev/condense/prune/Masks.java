package dev.condense.prune;

import dev.condense.CondenseException;
import dev.condense.engine.Constraint;
import dev.condense.engine.Constraints;
import dev.condense.graph.Annotations;
import dev.condense.graph.CompressionState;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.graph.Tensor;
import dev.condense.graph.WeightAnnotation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which connections of each prunable weight survive: {@code keep[i] == false} means weight i is
 * pruned and must be exactly 0.0. A pruned model carries its masks as annotations ({@link
 * #apply} sets them); {@link #of} reads them back, from the zeros for a model without them.
 */
public final class Masks {
  private final Map<String, boolean[]> keep;

  public Masks(Map<String, boolean[]> keep) {
    Map<String, boolean[]> m = new LinkedHashMap<>();
    keep.forEach((k, v) -> m.put(k, v.clone()));
    this.keep = Collections.unmodifiableMap(m);
  }

  /** All connections kept. */
  public static Masks dense(List<PrunableWeight> weights) {
    Map<String, boolean[]> m = new LinkedHashMap<>();
    for (PrunableWeight w : weights) {
      boolean[] k = new boolean[w.size()];
      java.util.Arrays.fill(k, true);
      m.put(w.weight(), k);
    }
    return new Masks(m);
  }

  /**
   * The masks of a model's prunable weights: each weight's mask annotation, or for a weight
   * without one (a model from an ONNX file) the mask its zeros imply ({@link CompressionState#keep}).
   */
  public static Masks of(Model model) {
    Map<String, boolean[]> m = new LinkedHashMap<>();
    for (PrunableWeight w : PrunableWeight.of(model.graph())) {
      m.put(w.weight(), CompressionState.keep(model, w.weight()));
    }
    return new Masks(m);
  }

  /** The masks a model's zeros imply, whatever its annotations say: a weight that is exactly 0.0 counts as pruned. */
  public static Masks fromZeros(Model model) {
    return of(model.withoutAnnotations());
  }

  /** Whether some connection is pruned. */
  public boolean anyPruned() {
    return keptTotal() < sizeTotal();
  }

  public Map<String, boolean[]> byWeight() {
    return keep;
  }

  /** The mask of a weight (shared array: do not modify), or null. */
  public boolean[] get(String weight) {
    return keep.get(weight);
  }

  public long kept(String weight) {
    long n = 0;
    for (boolean b : keep.get(weight)) {
      n += b ? 1 : 0;
    }
    return n;
  }

  public long keptTotal() {
    long n = 0;
    for (String w : keep.keySet()) {
      n += kept(w);
    }
    return n;
  }

  public long sizeTotal() {
    long n = 0;
    for (boolean[] k : keep.values()) {
      n += k.length;
    }
    return n;
  }

  /** The model with every pruned weight set to exactly 0.0 and annotated with its mask. */
  public Model apply(Model model) {
    Map<String, Tensor> init = new LinkedHashMap<>(model.graph().initializers());
    keep.forEach((w, k) -> {
      Tensor t = init.get(w);
      if (t == null || t.size() != k.length) {
        throw new CondenseException("mask for '" + w + "' does not fit the model's weight of that name");
      }
      float[] d = t.floatsCopy();
      for (int i = 0; i < d.length; i++) {
        if (!k[i]) {
          d[i] = 0f;
        }
      }
      init.put(w, Tensor.of(d, t.shape()));
    });
    Map<String, WeightAnnotation.Mask> a = new LinkedHashMap<>();
    keep.forEach((w, k) -> a.put(w, new WeightAnnotation.Mask(k)));
    return model.withGraph(model.graph().withInitializers(init)).withAnnotations(new Annotations(a, Map.of()));
  }

  /** Engine constraints that keep the pruned weights at zero during (re)training. */
  public Constraints constraints() {
    Map<String, Constraint> c = new LinkedHashMap<>();
    keep.forEach((w, k) -> c.put(w, new Constraint.Mask(k)));
    return new Constraints(c);
  }
}
