package dev.condense.api;

import dev.condense.PerLayer;
import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;

/**
 * L1 filter pruning (Li et al. 2017): each conv layer loses the share {@code ratio} of its filters
 * with the smallest L1 norms, removed for real with everything coupled to them (BatchNorm entries,
 * the next layers' input channels), so the model is smaller and faster in any runtime. Without
 * retraining it needs no data: {@code FilterPruning.l1(0.3).apply(m)}.
 */
public record FilterPruning(Step.PruneFilters step) implements Transformation {

  /** Removes the share {@code ratio} of the filters of every first conv layer of a block. */
  public static FilterPruning l1(double ratio) {
    return new FilterPruning(new Step.PruneFilters(PerLayer.all(ratio), false, false, Step.PruneFilters.ROUNDS,
        Step.ALIGN, TrainSettings.defaults().withEpochs(0)));
  }

  /** The same, then {@code epochs} epochs of retraining (needs data). */
  public FilterPruning retrained(int epochs) {
    return new FilterPruning(new Step.PruneFilters(step.ratio(), step.greedy(), step.streams(), step.rounds(),
        step.align(), step.retrain().withEpochs(epochs)));
  }

  /** The same with kept channel counts rounded to multiples of {@code align} (8 suits ONNX Runtime's kernels). */
  public FilterPruning aligned(int align) {
    return new FilterPruning(new Step.PruneFilters(step.ratio(), step.greedy(), step.streams(), step.rounds(), align,
        step.retrain()));
  }

  @Override
  public Recipe recipe() {
    return Recipe.of(step);
  }
}
