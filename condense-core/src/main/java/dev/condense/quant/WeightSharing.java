package dev.condense.quant;

import dev.condense.engine.Constraint;
import dev.condense.engine.Constraints;
import dev.condense.graph.Annotations;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.WeightAnnotation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deep Compression's weight sharing as a transformation of a model: each shared weight becomes
 * its codebook's decoding and carries the codebook as an annotation, so fine-tuning ({@link
 * #constraints}), the {@code .cdz} writer and the Gather export all read the same codebook.
 */
public final class WeightSharing {
  private WeightSharing() {}

  /** {@code m} with every weight of {@code codebooks} replaced by its decoding and annotated with it. */
  public static Model apply(Model m, Map<String, Codebook> codebooks) {
    Map<String, Tensor> init = new LinkedHashMap<>(m.graph().initializers());
    Map<String, WeightAnnotation.Codebook> books = new LinkedHashMap<>();
    codebooks.forEach((w, cb) -> {
      WeightAnnotation.Codebook a = cb.annotation();
      init.put(w, Tensor.of(a.decode(), m.graph().initializer(w).shape()));
      books.put(w, a);
    });
    return m.withGraph(m.graph().withInitializers(init)).withAnnotations(new Annotations(Map.of(), books));
  }

  /**
   * Engine constraints that train the centroids of every annotated codebook with the summed
   * gradient of their weights under fixed assignments (Eq. 3).
   */
  public static Constraints constraints(Model m) {
    Map<String, Constraint> c = new LinkedHashMap<>();
    m.annotations().codebooks().forEach((w, cb) -> c.put(w, new Constraint.Shared(cb.index(), cb.centroids())));
    return new Constraints(c);
  }
}
