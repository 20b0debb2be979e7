package dev.condense.cli;

import dev.condense.pipeline.TrainSettings;
import picocli.CommandLine.Option;

/**
 * {@code --distill} of the commands that retrain a compressed model: the retraining also matches
 * the softened outputs of the model before compression (knowledge distillation), with
 * {@code --distill-temperature} and {@code --distill-alpha}.
 */
final class DistillOption {
  @Option(names = "--distill", description = "Retrain with knowledge distillation from the uncompressed model.")
  boolean distill;

  @Option(names = "--distill-temperature", paramLabel = "T", description = "Distillation temperature (default: " + TrainSettings.Distill.TEMPERATURE + ").")
  Double temperature;

  @Option(names = "--distill-alpha", paramLabel = "A",
      description = "Weight of the teacher's soft targets against the labels, in [0, 1] (default: " + TrainSettings.Distill.ALPHA + ").")
  Double alpha;

  /** The validated setting, or null when not asked for. */
  TrainSettings.Distill value() {
    if (!distill) {
      if (temperature != null || alpha != null) {
        throw new Cli.UsageError("--distill-temperature and --distill-alpha go with --distill");
      }
      return null;
    }
    double t = temperature == null ? TrainSettings.Distill.TEMPERATURE : temperature;
    double a = alpha == null ? TrainSettings.Distill.ALPHA : alpha;
    if (!(t > 0 && t <= 100)) {
      throw new Cli.UsageError("--distill-temperature must be in (0, 100], got " + t);
    }
    if (!(a >= 0 && a <= 1)) {
      throw new Cli.UsageError("--distill-alpha must be in [0, 1], got " + a);
    }
    return new TrainSettings.Distill(t, a);
  }

  /** {@code t} distilling as asked. */
  TrainSettings apply(TrainSettings t) {
    TrainSettings.Distill d = value();
    return d == null ? t : t.withDistill(d);
  }
}
