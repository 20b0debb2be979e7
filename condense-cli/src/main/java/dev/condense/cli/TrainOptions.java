package dev.condense.cli;

import dev.condense.engine.LrSchedule;
import dev.condense.engine.TrainConfig;
import picocli.CommandLine.Option;

/** The optimiser settings of any command that trains or fine-tunes. */
final class TrainOptions {
  @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + TrainConfig.EPOCHS, description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", paramLabel = "X", defaultValue = "" + TrainConfig.LR, description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + TrainConfig.BATCH, description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--momentum", paramLabel = "X", defaultValue = "" + TrainConfig.MOMENTUM, description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  double momentum;

  @Option(names = "--weight-decay", paramLabel = "X", defaultValue = "" + TrainConfig.WEIGHT_DECAY,
      description = "L2 weight decay on weight matrices and kernels (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--schedule", paramLabel = "S", defaultValue = TrainConfig.SCHEDULE,
      description = "Learning-rate schedule: constant, cosine, or step:EVERY:GAMMA (default: ${DEFAULT-VALUE}).")
  String schedule;

  TrainConfig config(long seed) {
    OptionRange.epochs("--epochs", epochs);
    if (batch < 1) {
      throw new Cli.UsageError("--batch must be ≥ 1, got " + batch);
    }
    OptionRange.lr("--lr", lr);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new Cli.UsageError("--momentum must be in [0, 1), got " + momentum);
    }
    OptionRange.check("--weight-decay", weightDecay, 0, OptionRange.MAX_WEIGHT_DECAY);
    return new TrainConfig(epochs, batch, lr, momentum, weightDecay, parseSchedule(schedule), seed);
  }

  static LrSchedule parseSchedule(String s) {
    LrSchedule r = LrSchedule.parse(s);
    if (r == null) {
      throw new Cli.UsageError("--schedule: expected constant, cosine or step:EVERY:GAMMA (e.g. step:10:0.1), got '" + s + "'");
    }
    return r;
  }
}
