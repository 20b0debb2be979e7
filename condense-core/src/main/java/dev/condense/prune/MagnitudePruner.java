package dev.condense.prune;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Magnitude pruning (Han et al. 2015, §3): the connections with the smallest absolute weights
 * are removed. Pruning is monotone: what earlier masks removed stays removed, so iterating
 * prune → retrain → prune more only ever adds zeros.
 */
public final class MagnitudePruner {
  private MagnitudePruner() {}

  /** New masks for {@code model} under {@code criterion}, including everything {@code current} pruned. */
  public static Masks prune(Model model, PruningCriterion criterion, Masks current) {
    List<PrunableWeight> weights = PrunableWeight.of(model.graph());
    checkLayers(criterion, weights);
    Map<String, boolean[]> out = new LinkedHashMap<>();
    double globalThreshold = criterion instanceof PruningCriterion.GlobalSparsity g
        ? globalThreshold(model, weights, current, g.sparsity()) : Double.NaN;
    for (PrunableWeight w : weights) {
      float[] d = model.graph().initializer(w.weight()).floats();
      boolean[] keep = current == null || current.get(w.weight()) == null ? allTrue(d.length)
          : current.get(w.weight()).clone();
      if (criterion instanceof PruningCriterion.Quality q) {
        java.util.Optional<Double> quality = q.quality().get(w.layer());
        if (quality.isPresent()) {
          double threshold = quality.get() * std(d, keep);
          for (int i = 0; i < d.length; i++) {
            keep[i] &= Math.abs(d[i]) >= threshold;
          }
        }
      } else if (criterion instanceof PruningCriterion.Sparsity s) {
        java.util.Optional<Double> sparsity = s.sparsity().get(w.layer());
        if (sparsity.isPresent()) {
          pruneSmallest(d, keep, (int) Math.rint(checkFraction(sparsity.get(), w.layer()) * d.length));
        }
      } else {
        for (int i = 0; i < d.length; i++) {
          keep[i] &= Math.abs(d[i]) > globalThreshold;
        }
      }
      out.put(w.weight(), keep);
    }
    return new Masks(out);
  }

  private static void checkLayers(PruningCriterion c, List<PrunableWeight> weights) {
    Map<String, Double> byLayer = c instanceof PruningCriterion.Quality q ? q.quality().byLayer()
        : c instanceof PruningCriterion.Sparsity s ? s.sparsity().byLayer() : Map.of();
    for (String layer : byLayer.keySet()) {
      if (weights.stream().noneMatch(w -> w.layer().equals(layer))) {
        throw new CondenseException("no prunable layer named '" + layer + "' (prunable: "
            + weights.stream().map(PrunableWeight::layer).toList() + ")");
      }
    }
  }

  private static double checkFraction(double s, String layer) {
    if (!(s >= 0 && s <= 1)) {
      throw new CondenseException("sparsity for layer '" + layer + "' must be in [0, 1], got " + s);
    }
    return s;
  }

  private static boolean[] allTrue(int n) {
    boolean[] k = new boolean[n];
    Arrays.fill(k, true);
    return k;
  }

  /** Standard deviation of the surviving weights. */
  static double std(float[] d, boolean[] keep) {
    double sum = 0;
    double sq = 0;
    long n = 0;
    for (int i = 0; i < d.length; i++) {
      if (keep[i]) {
        sum += d[i];
        sq += (double) d[i] * d[i];
        n++;
      }
    }
    if (n == 0) {
      return 0;
    }
    double mean = sum / n;
    return Math.sqrt(Math.max(0, sq / n - mean * mean));
  }

  /**
   * Prunes the {@code count} smallest |w| overall (already pruned ones count first, then the
   * smallest survivors; ties broken by index, so the result is deterministic).
   */
  static void pruneSmallest(float[] d, boolean[] keep, int count) {
    int n = d.length;
    long[] order = new long[n];
    for (int i = 0; i < n; i++) {
      // pruned weights sort first, then by |w| (its bits order like the value), then by index
      long key = keep[i] ? Float.floatToRawIntBits(Math.abs(d[i])) + 1L : 0L;
      order[i] = (key << 32) | i;
    }
    Arrays.sort(order);
    for (int k = 0; k < Math.min(count, n); k++) {
      keep[(int) (order[k] & 0xffffffffL)] = false;
    }
  }

  /** The |w| threshold above which a fraction 1 − s of all prunable weights survives. */
  private static double globalThreshold(Model model, List<PrunableWeight> weights, Masks current, double s) {
    checkFraction(s, "(global)");
    long total = 0;
    for (PrunableWeight w : weights) {
      total += w.size();
    }
    float[] all = new float[(int) total];
    int at = 0;
    for (PrunableWeight w : weights) {
      float[] d = model.graph().initializer(w.weight()).floats();
      boolean[] keep = current == null ? null : current.get(w.weight());
      for (int i = 0; i < d.length; i++) {
        all[at++] = keep != null && !keep[i] ? 0f : Math.abs(d[i]);
      }
    }
    Arrays.sort(all);
    int k = (int) Math.rint(s * all.length);
    return k == 0 ? -1 : all[k - 1];
  }
}
