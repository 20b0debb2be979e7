package dev.condense.api;

import dev.condense.PerLayer;
import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import java.util.Map;

/**
 * Channel pruning through the next layer ({@link dev.condense.pipeline.ChannelPruning}): He et
 * al. 2017's LASSO selection and least-squares reconstruction, or ThiNet's greedy selection, layer
 * by layer from sampled activations, so it takes data:
 * {@code ChannelPruning.he(2.0).apply(m, data)}.
 */
public record ChannelPruning(Step.ChannelPrune step) implements Transformation {

  /** He et al.: the uniform share of channels kept so the model has {@code speedup} times fewer multiply-adds. */
  public static ChannelPruning he(double speedup) {
    return of(dev.condense.pipeline.ChannelPruning.Method.HE, speedup);
  }

  /** ThiNet, with the share chosen as in {@link #he}. */
  public static ChannelPruning thinet(double speedup) {
    return of(dev.condense.pipeline.ChannelPruning.Method.THINET, speedup);
  }

  private static ChannelPruning of(dev.condense.pipeline.ChannelPruning.Method method, double speedup) {
    return new ChannelPruning(new Step.ChannelPrune(method, PerLayer.only(Map.of()), speedup,
        new dev.condense.pipeline.ChannelPruning.Sampling(Step.ChannelPrune.IMAGES, Step.ChannelPrune.PER_IMAGE),
        Step.ChannelPrune.LAYER_EPOCHS, Step.ChannelPrune.LAYER_IMAGES, Step.ALIGN,
        TrainSettings.defaults().withEpochs(0)));
  }

  /** The same, then {@code epochs} epochs of fine-tuning. */
  public ChannelPruning fineTuned(int epochs) {
    Step.ChannelPrune s = step;
    return new ChannelPruning(new Step.ChannelPrune(s.method(), s.keep(), s.speedup(), s.sampling(), s.layerEpochs(),
        s.layerImages(), s.align(), s.fineTune().withEpochs(epochs)));
  }

  @Override
  public Recipe recipe() {
    return Recipe.of(step);
  }
}
