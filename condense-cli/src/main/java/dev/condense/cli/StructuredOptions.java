package dev.condense.cli;

import dev.condense.engine.ParameterChoice;
import dev.condense.engine.TrainConfig;
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
  @Option(names = "--retrain-epochs", paramLabel = "N", defaultValue = "" + Step.STRUCTURED_RETRAIN_EPOCHS,
      description = "Retraining epochs per round (default: ${DEFAULT-VALUE}).")
  int retrainEpochs;

  @Option(names = "--retrain-lr", paramLabel = "X", description = RetrainLr.DESCRIPTION)
  Double retrainLr;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + TrainConfig.BATCH, description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--report", paramLabel = "FILE.md", description = "Also write the report as Markdown (and JSON beside it).")
  Path report;

  @Option(names = "--no-verify", description = "Skip the check of the written model in ONNX Runtime.")
  boolean noVerify;

  @Mixin
  DistillOption distill;

  @Mixin
  ParameterOptions parameters;

  /** Where APoZ (trim) and channel sampling (channel-prune) run; training stays on the engine. */
  @Mixin
  RuntimeOption runtime;

  /** Runs {@code step} on {@code model} and writes the thinner ONNX model and the report. */
  int run(CommandSpec spec, CommonOptions common, DataOptions data, String model, String title, Step step, Path out)
      throws Exception {
    return run(spec, common, data, model, title, List.of(step), out);
  }

  /** Runs {@code steps} in order on {@code model} and writes the thinner ONNX model and the report. */
  int run(CommandSpec spec, CommonOptions common, DataOptions data, String model, String title, List<Step> steps,
      Path out) throws Exception {
    runtime.check(spec.name());
    return CompressionRun.run(new Output(spec.commandLine(), common), common, data, model, title,
        steps, ParameterChoice.NONE, parameters, out, report, !noVerify, CdzFile.Options.defaults(), null, runtime);
  }

  TrainSettings retrain() {
    OptionRange.epochs("--retrain-epochs", retrainEpochs);
    if (batch < 1) {
      throw new Cli.UsageError("--batch must be ≥ 1, got " + batch);
    }
    OptionRange.lr("--retrain-lr", retrainLr);
    return distill.apply(TrainSettings.defaults().withEpochs(retrainEpochs).withLr(retrainLr).withBatch(batch));
  }
}
