package dev.condense.api;

import dev.condense.graph.Model;
import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import dev.condense.ops.PrunableWeight;
import java.util.Map;

/**
 * Deep Compression's weight sharing (Han et al. 2016, §3): the non-zero weights of each layer are
 * clustered by 1-D k-means into 2^bits − 1 shared values (zeros stay zero). Without fine-tuning it
 * needs no data: {@code WeightSharing.kmeans(5).apply(m)}; {@link #fineTuned} trains the
 * centroids (needs data).
 */
public record WeightSharing(Step.Quantize step) implements Transformation {

  /** {@code bits} bits per weight in every layer, k-means with linear initialisation. */
  public static WeightSharing kmeans(int bits) {
    return new WeightSharing(new Step.Quantize(Map.of(), bits, bits, Step.Quantize.INIT,
        TrainSettings.defaults().withEpochs(0)));
  }

  /** The same, then {@code epochs} epochs of centroid training (Eq. 3). */
  public WeightSharing fineTuned(int epochs) {
    return new WeightSharing(new Step.Quantize(step.bitsByLayer(), step.convBits(), step.fcBits(), step.init(),
        step.fineTune().withEpochs(epochs)));
  }

  @Override
  public Recipe recipe() {
    return Recipe.of(step);
  }

  /** Whether every prunable weight of {@code m} holds at most 255 distinct non-zero values (one byte per weight). */
  static boolean isShared(Model m) {
    return PrunableWeight.of(m.graph()).stream()
        .allMatch(w -> dev.condense.graph.CompressionState.distinctNonZero(m.graph().initializer(w.weight()).floats(), 255) != null);
  }
}
