package dev.condense.pipeline;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.PruningCriterion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pruning sensitivity (Han et al. 2015, Fig. 5; Li et al. 2017, Fig. 2): each prunable layer is
 * pruned alone by magnitude to each sparsity, without retraining, and the model evaluated. Layers
 * whose accuracy falls early are the ones to prune gently.
 */
public final class SensitivityAnalysis {
  private SensitivityAnalysis() {}

  /** Top-1 accuracy (fraction) per layer and sparsity, and the unpruned model's. */
  public record Result(double baseline, double[] sparsities, Map<String, double[]> top1) {}

  /** The sparsities 0, 5, ..., 95%. */
  public static double[] defaultSparsities() {
    double[] s = new double[20];
    for (int i = 0; i < s.length; i++) {
      s[i] = i / 20.0; // exact decimals in the CSV (0.15, not 0.15000000000000002)
    }
    return s;
  }

  public static Result run(Engine engine, Model model, Dataset test, double[] sparsities, Progress progress) {
    List<PrunableWeight> layers = PrunableWeight.of(model.graph());
    Map<String, double[]> top1 = new LinkedHashMap<>();
    double baseline;
    try (Session s = engine.open(model)) {
      baseline = s.evaluate(test, 500, Progress.NONE).top1();
      progress.start("sensitivity", (long) layers.size() * sparsities.length);
      int done = 0;
      for (PrunableWeight w : layers) {
        double[] acc = new double[sparsities.length];
        for (int i = 0; i < sparsities.length; i++) {
          Model pruned = MagnitudePruner.prune(model,
              new PruningCriterion.Sparsity(dev.condense.PerLayer.only(Map.of(w.layer(), sparsities[i]))), null).apply(model);
          s.setWeights(pruned);
          acc[i] = s.evaluate(test, 500, Progress.NONE).top1();
          progress.update(++done, w.layer() + " " + Math.round(100 * sparsities[i]) + "%");
        }
        top1.put(w.layer(), acc);
      }
      progress.finish("");
    }
    return new Result(baseline, sparsities.clone(), top1);
  }

  /**
   * Filter-level sensitivity (Li et al. 2017, Fig. 2b): each conv layer that L1 filter pruning may
   * touch loses the given share of its smallest-L1 filters — its whole channel group, so coupled
   * layers go together and are never reported as insensitive — without retraining. Keys are the
   * groups' layer names.
   */
  public static Result filters(Engine engine, Model model, Dataset test, double[] ratios, boolean streams, Progress progress) {
    List<dev.condense.structure.ChannelGroup> groups = dev.condense.structure.ChannelGroups.of(model);
    List<dev.condense.structure.ChannelGroup> layers = StructuredPruning.filterCandidates(model, groups, streams);
    Map<String, double[]> top1 = new LinkedHashMap<>();
    double baseline;
    try (Session s = engine.open(model)) {
      baseline = s.evaluate(test, 500, Progress.NONE).top1();
    }
    progress.start("filter sensitivity", (long) layers.size() * ratios.length);
    int done = 0;
    for (dev.condense.structure.ChannelGroup g : layers) {
      double[] acc = new double[ratios.length];
      double[] score = dev.condense.prune.FilterNorms.scores(model, g, Map.of());
      for (int i = 0; i < ratios.length; i++) {
        int n = Math.min(g.size() - 1, (int) Math.floor(ratios[i] * g.size() + 1e-9));
        if (n == 0) {
          acc[i] = baseline;
        } else {
          Model thin = dev.condense.structure.Thinning.apply(model,
              Map.of(g, dev.condense.prune.FilterNorms.lowest(score, n)));
          try (Session s = engine.open(thin)) {
            acc[i] = s.evaluate(test, 500, Progress.NONE).top1();
          }
        }
        progress.update(++done, StructuredPruning.layer(g) + " " + Math.round(100 * ratios[i]) + "%");
      }
      top1.put(StructuredPruning.layer(g), acc);
    }
    progress.finish("");
    return new Result(baseline, ratios.clone(), top1);
  }
}
