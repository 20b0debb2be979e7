package dev.condense.pipeline;

import dev.condense.engine.LrSchedule;
import dev.condense.engine.TrainConfig;

/**
 * How a recipe step trains: like {@link TrainConfig}, but the learning rate may be left open
 * ({@code lr == null}: a tenth of the last training step's rate, Han et al.'s retraining rule),
 * some layers may be frozen (Han retrains FC layers with the conv layers fixed and vice versa),
 * and the step may distil from the uncompressed model ({@code distill == null}: labels only).
 */
public record TrainSettings(int epochs, Double lr, int batch, double momentum, double weightDecay,
    LrSchedule schedule, Freeze freeze, Distill distill) {

  /** Which layers keep their weights during this training. */
  public enum Freeze { NONE, CONV, FC }

  /**
   * Distil from the recipe's reference model (the trained model before the first step that
   * compresses it) with temperature T and soft-target weight α; see
   * {@link dev.condense.engine.Distillation}.
   */
  public record Distill(double temperature, double alpha) {}

  public TrainSettings(int epochs, Double lr, int batch, double momentum, double weightDecay, LrSchedule schedule,
      Freeze freeze) {
    this(epochs, lr, batch, momentum, weightDecay, schedule, freeze, null);
  }

  public TrainSettings withEpochs(int e) {
    return new TrainSettings(e, lr, batch, momentum, weightDecay, schedule, freeze, distill);
  }

  public TrainSettings withDistill(Distill d) {
    return new TrainSettings(epochs, lr, batch, momentum, weightDecay, schedule, freeze, d);
  }

  public static TrainSettings defaults() {
    return new TrainSettings(10, null, 64, 0.9, 5e-4, new LrSchedule.Cosine(0), Freeze.NONE);
  }

  /** The engine configuration, with {@code inheritedLr} where no rate was given. */
  public TrainConfig config(double inheritedLr, long seed) {
    return new TrainConfig(epochs, batch, lr == null ? inheritedLr : lr, momentum, weightDecay, schedule, seed);
  }
}
