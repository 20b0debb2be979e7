package dev.condense.engine;

import dev.condense.graph.Annotations;
import dev.condense.graph.Model;
import dev.condense.graph.WeightAnnotation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule the engine enforces on one weight tensor on every training step. Compression methods
 * declare constraints; the engine applies them to weights and gradients.
 */
public sealed interface Constraint {

  /**
   * Pruned weights stay exactly 0.0: {@code keep[i] == false} zeroes weight i and its gradient
   * (and momentum) on every step.
   */
  record Mask(boolean[] keep) implements Constraint {
    /** Number of weights kept. */
    public int kept() {
      int n = 0;
      for (boolean k : keep) {
        if (k) {
          n++;
        }
      }
      return n;
    }
  }

  /** The tensor is not updated at all. */
  record Frozen() implements Constraint {}

  /**
   * Shared weights, trained (Deep Compression §3.3, Eq. 3, generalised to vector codebooks):
   * weight i is {@code Σ_s table[indices[s][i]]} over the stages s (one stage for scalar k-means
   * and product quantization, t for residual quantization; index −1 adds nothing, so a weight
   * whose indices are all −1 is pruned and stays exactly 0.0). The indices stay fixed; each step
   * moves every table entry by the sum of the gradients of the weights that use it, then rebuilds
   * the weights. With {@code averaged}, by their mean instead: for codebooks over whole dense
   * layers (Gong et al.'s vector quantization), where one entry stands for 10⁴–10⁵ weights and
   * the sum would move it that many times further than any single weight moves.
   */
  record Shared(int[][] indices, float[] table, boolean averaged) implements Constraint {
    /** Summed gradients (Eq. 3), one or more stages. */
    public Shared(int[][] indices, float[] table) {
      this(indices, table, false);
    }

    /** Summed gradients (Eq. 3), one index per weight (scalar codebooks, product quantization). */
    public Shared(int[] index, float[] table) {
      this(new int[][] {index}, table, false);
    }

    /** The codebook a one-stage constraint stands for (its table as trained), or null for several stages. */
    public WeightAnnotation.Codebook codebook() {
      return indices.length == 1 ? new WeightAnnotation.Codebook(table, indices[0]) : null;
    }

    /**
     * {@code m} annotated with the codebooks of the one-stage constraints it was trained under
     * (a session's export after training: the centroids as trained), where they describe its
     * weights; a weight trained on without the constraint since keeps none.
     */
    public static Model annotate(Model m, Map<String, Shared> trained) {
      Map<String, WeightAnnotation.Codebook> books = new LinkedHashMap<>();
      trained.forEach((w, sh) -> {
        WeightAnnotation.Codebook cb = sh.codebook();
        if (cb != null && m.graph().initializer(w) != null && cb.holds(m.graph().initializer(w))) {
          books.put(w, cb);
        }
      });
      return books.isEmpty() ? m : m.withAnnotations(new Annotations(Map.of(), books));
    }
  }
}
