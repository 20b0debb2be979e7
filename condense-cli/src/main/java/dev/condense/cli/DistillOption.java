package dev.condense.cli;

import dev.condense.pipeline.TrainSettings;
import picocli.CommandLine.Option;

/**
 * {@code --distill [T,ALPHA]} of the commands that retrain a compressed model: the retraining also
 * matches the softened outputs of the model before compression (knowledge distillation).
 */
final class DistillOption {
  @Option(names = "--distill", paramLabel = "T,ALPHA", arity = "0..1", fallbackValue = "4,0.9",
      description = "Retrain with knowledge distillation from the uncompressed model: temperature T and weight "
          + "ALPHA of the soft targets (alone: 4,0.9).")
  String distill;

  /** The validated setting, or null when not asked for. */
  TrainSettings.Distill value() {
    if (distill == null) {
      return null;
    }
    String[] p = distill.split(",");
    try {
      if (p.length == 2) {
        double t = Double.parseDouble(p[0].strip());
        double a = Double.parseDouble(p[1].strip());
        if (t > 0 && t <= 100 && a >= 0 && a <= 1) {
          return new TrainSettings.Distill(t, a);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Cli.UsageError("--distill takes T,ALPHA with T in (0, 100] and ALPHA in [0, 1], got '" + distill + "'");
  }

  /** {@code t} distilling as asked. */
  TrainSettings apply(TrainSettings t) {
    TrainSettings.Distill d = value();
    return d == null ? t : t.withDistill(d);
  }
}
