package dev.condense.cli;

import dev.condense.engine.LrSchedule;
import dev.condense.format.CdzFile;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options {@code prune-filters} and {@code trim} share: how to retrain, where to write, what to report. */
final class StructuredOptions {
  @Option(names = "--retrain-epochs", paramLabel = "N", defaultValue = "5", description = "Retraining epochs per round (default: ${DEFAULT-VALUE}).")
  int retrainEpochs;

  @Option(names = "--retrain-lr", paramLabel = "X", defaultValue = "0.001",
      description = "Retraining learning rate, cosine-decayed (default: ${DEFAULT-VALUE}; Li et al. retrain at 0.001).")
  double retrainLr;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--report", paramLabel = "FILE.md", description = "Also write the report as Markdown (and JSON beside it).")
  Path report;

  @Option(names = "--no-verify", description = "Skip the check of the written model in ONNX Runtime.")
  boolean noVerify;

  @Mixin
  DistillOption distill;

  /** Runs {@code step} on {@code model} and writes the thinner ONNX model and the report. */
  int run(CommandSpec spec, CommonOptions common, DataOptions data, String model, String title, Step step, Path out)
      throws Exception {
    return run(spec, common, data, model, title, List.of(step), out);
  }

  /** Runs {@code steps} in order on {@code model} and writes the thinner ONNX model and the report. */
  int run(CommandSpec spec, CommonOptions common, DataOptions data, String model, String title, List<Step> steps,
      Path out) throws Exception {
    return CompressionRun.run(new Output(spec.commandLine().getOut(), common), common, data, model, title,
        steps, out, report, !noVerify, CdzFile.Options.defaults());
  }

  TrainSettings retrain() {
    if (retrainEpochs < 0 || batch < 1 || !(retrainLr > 0)) {
      throw new Cli.UsageError("--retrain-epochs must be ≥ 0, --batch ≥ 1 and --retrain-lr > 0");
    }
    return distill.apply(new TrainSettings(retrainEpochs, retrainLr, batch, 0.9, 5e-4, new LrSchedule.Cosine(0),
        TrainSettings.Freeze.NONE));
  }
}
