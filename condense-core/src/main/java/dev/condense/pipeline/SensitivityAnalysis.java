package dev.condense.pipeline;

import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.PrunableWeight;
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
      s[i] = i * 0.05;
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
              new PruningCriterion.Sparsity(Map.of(w.layer(), sparsities[i]), Double.NaN), null).apply(model);
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
}
