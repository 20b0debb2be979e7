package dev.condense.cli;

/** The help text of {@code --retrain-lr}: its default is the recipes' rule, a tenth of the last training rate. */
final class RetrainLr {
  private RetrainLr() {}

  static final String DESCRIPTION = "Retraining learning rate, cosine-decayed (default: a tenth of the last training "
      + "rate, " + dev.condense.engine.TrainConfig.LR + " / 10 = 0.001 for a trained model; Li et al. and Han et al. "
      + "retrain at 0.001).";
}
