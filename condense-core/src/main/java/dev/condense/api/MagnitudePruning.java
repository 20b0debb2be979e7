package dev.condense.api;

import dev.condense.PerLayer;
import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import dev.condense.prune.PruningCriterion;
import java.util.Map;

/**
 * Magnitude pruning (Han et al. 2015): the smallest weights become exact zeros. One shot without
 * data ({@code MagnitudePruning.sparsity(0.9).apply(m)}), or Han's prune → retrain rounds with
 * {@link #retrained}, which take data.
 */
public record MagnitudePruning(PruningCriterion criterion) implements Transformation {

  /** Prunes the share {@code s} of every prunable layer. */
  public static MagnitudePruning sparsity(double s) {
    return new MagnitudePruning(new PruningCriterion.Sparsity(PerLayer.all(s)));
  }

  /** Prunes each listed layer to its sparsity; the others stay. */
  public static MagnitudePruning sparsity(Map<String, Double> byLayer) {
    return new MagnitudePruning(new PruningCriterion.Sparsity(PerLayer.only(byLayer)));
  }

  /** Han's threshold: prunes |w| below {@code q} standard deviations of each layer. */
  public static MagnitudePruning quality(double q) {
    return new MagnitudePruning(new PruningCriterion.Quality(PerLayer.all(q)));
  }

  /** One threshold across all layers, for overall sparsity {@code s}. */
  public static MagnitudePruning global(double s) {
    return new MagnitudePruning(new PruningCriterion.GlobalSparsity(s));
  }

  @Override
  public Recipe recipe() {
    return Recipe.of(new Step.Prune(criterion));
  }

  /**
   * Han's iterative pruning to this sparsity (not for {@link #quality}): {@code rounds} of
   * prune → retrain for {@code epochs} epochs, at a tenth of the last training rate.
   */
  public Transformation retrained(int rounds, int epochs) {
    PerLayer<Double> target = criterion instanceof PruningCriterion.Sparsity s ? s.sparsity()
        : criterion instanceof PruningCriterion.GlobalSparsity g ? PerLayer.all(g.sparsity()) : null;
    if (target == null) {
      throw new IllegalArgumentException("iterative pruning takes a sparsity, not a quality threshold");
    }
    Step step = new Step.IterativePrune(target, rounds, TrainSettings.defaults().withEpochs(epochs),
        criterion instanceof PruningCriterion.GlobalSparsity);
    return () -> Recipe.of(step);
  }
}
