package dev.condense.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Per-layer sparsities for one size target, chosen from sensitivity curves (Han et al. 2015,
 * §3.3 and Fig. 5: "the sensitivity results are used as guidance when determining each layer's
 * threshold", which the paper did by hand for the LeNets). Every layer is allowed the same
 * accuracy loss {@code τ} when pruned alone: it takes the largest sparsity of its curve whose
 * loss, and every smaller sparsity's, stays within {@code τ}. The smallest {@code τ} whose
 * allocation meets the target wins — sensitive layers stay dense, tolerant ones go far.
 */
public final class SensitivityAllocation {
  private SensitivityAllocation() {}

  /**
   * One layer's curve.
   *
   * @param layer the layer's name (a {@link dev.condense.ops.PrunableWeight} layer)
   * @param weights its weight count
   * @param bitsPerKept what a kept weight costs in the written model: 32 for a float, the
   *     codebook index plus the sparse gap for Deep Compression
   * @param top1 accuracy with only this layer pruned, at each of the allocation's sparsities
   */
  public record LayerCurve(String layer, long weights, double bitsPerKept, double[] top1) {}

  /**
   * The allocation.
   *
   * @param sparsity per layer, the share of its weights pruned
   * @param tolerance the accuracy loss every layer was allowed alone
   * @param share the model's cost after pruning against the original's 32-bit dense weights
   * @param reached whether {@code share} meets the target (false: every layer at its largest sparsity)
   */
  public record Allocation(Map<String, Double> sparsity, double tolerance, double share, boolean reached) {}

  /**
   * The allocation for {@code target}, the share of the layers' dense 32-bit size the pruned
   * (and coded) layers may keep.
   *
   * @param sparsities the curves' grid, ascending, starting at 0
   */
  public static Allocation allocate(double baseline, double[] sparsities, List<LayerCurve> layers, double target) {
    TreeSet<Double> losses = new TreeSet<>();
    losses.add(0.0);
    for (LayerCurve l : layers) {
      for (double a : l.top1()) {
        losses.add(Math.max(0, baseline - a));
      }
    }
    Allocation last = null;
    for (double tau : losses) {
      last = at(tau, baseline, sparsities, layers, target);
      if (last.reached()) {
        return last;
      }
    }
    return last;
  }

  private static Allocation at(double tau, double baseline, double[] sparsities, List<LayerCurve> layers, double target) {
    Map<String, Double> chosen = new LinkedHashMap<>();
    double kept = 0;
    double dense = 0;
    for (LayerCurve l : layers) {
      int i = 0;
      while (i + 1 < sparsities.length && baseline - l.top1()[i + 1] <= tau + 1e-12) {
        i++;
      }
      chosen.put(l.layer(), sparsities[i]);
      kept += (1 - sparsities[i]) * l.weights() * l.bitsPerKept();
      dense += 32.0 * l.weights();
    }
    double share = dense == 0 ? 1 : kept / dense;
    return new Allocation(chosen, tau, share, share <= target + 1e-12);
  }

  /** The default grid: 0 to 80% by tenths, then finer towards 99%, where Han's FC layers live. */
  public static double[] defaultSparsities() {
    List<Double> s = new ArrayList<>();
    for (int i = 0; i <= 8; i++) {
      s.add(i / 10.0);
    }
    for (double x : new double[] {0.85, 0.9, 0.92, 0.94, 0.96, 0.97, 0.98, 0.99}) {
      s.add(x);
    }
    return s.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
