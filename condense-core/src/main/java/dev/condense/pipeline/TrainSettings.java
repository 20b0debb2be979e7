package dev.condense.pipeline;

import dev.condense.engine.LrSchedule;
import dev.condense.engine.TrainConfig;

/**
 * How a recipe step trains: an engine {@link TrainConfig} (the one record of optimiser settings
 * and their defaults) plus what only a pipeline can decide. With {@code inheritLr} the learning
 * rate is left open: the last training step's rate, a tenth of it once the model is pruned or
 * thinned (Han et al.'s retraining rule); the config's own seed is always replaced by the run's.
 * Some layers may be frozen (Han retrains FC layers with the conv layers fixed and vice versa),
 * and the step may distil from the uncompressed model ({@code distill == null}: labels only).
 */
public record TrainSettings(TrainConfig base, boolean inheritLr, Freeze freeze, Distill distill) {

  /** Which layers keep their weights during this training. */
  public enum Freeze { NONE, CONV, FC }

  /**
   * Distil from the recipe's reference model (the trained model before the first step that
   * compresses it) with temperature T and soft-target weight α; see
   * {@link dev.condense.engine.Distillation}.
   */
  public record Distill(double temperature, double alpha) {
    /** The default temperature and soft-target weight. */
    public static final double TEMPERATURE = 4;
    public static final double ALPHA = 0.9;
  }

  public TrainSettings {
    if (base.distillation() != null) {
      throw new IllegalArgumentException("a step's base config carries no teacher; give 'distill' instead");
    }
  }

  /**
   * Settings from their fields; {@code lr == null}: inherited (see the class comment).
   */
  public TrainSettings(int epochs, Double lr, int batch, double momentum, double weightDecay, LrSchedule schedule,
      Freeze freeze) {
    this(new TrainConfig(epochs, batch, lr == null ? TrainConfig.LR : lr, momentum, weightDecay, schedule, 1),
        lr == null, freeze, null);
  }

  /** The defaults ({@link TrainConfig#defaults()}), with the learning rate inherited. */
  public static TrainSettings defaults() {
    return new TrainSettings(TrainConfig.defaults(), true, Freeze.NONE, null);
  }

  public int epochs() {
    return base.epochs();
  }

  /** The fixed learning rate, or null when it is inherited. */
  public Double lr() {
    return inheritLr ? null : base.lr();
  }

  public TrainSettings withEpochs(int e) {
    return new TrainSettings(base.withEpochs(e), inheritLr, freeze, distill);
  }

  /** Trains at rate {@code lr}, or inherits it when {@code lr == null}. */
  public TrainSettings withLr(Double lr) {
    return new TrainSettings(lr == null ? base : base.withLr(lr), lr == null, freeze, distill);
  }

  public TrainSettings withBatch(int b) {
    return new TrainSettings(base.withBatchSize(b), inheritLr, freeze, distill);
  }

  public TrainSettings withWeightDecay(double wd) {
    return new TrainSettings(base.withWeightDecay(wd), inheritLr, freeze, distill);
  }

  public TrainSettings withFreeze(Freeze f) {
    return new TrainSettings(base, inheritLr, f, distill);
  }

  public TrainSettings withDistill(Distill d) {
    return new TrainSettings(base, inheritLr, freeze, d);
  }

  /** The engine configuration, with {@code inheritedLr} where no rate was given. */
  public TrainConfig config(double inheritedLr, long seed) {
    return (inheritLr ? base.withLr(inheritedLr) : base).withSeed(seed);
  }
}
