package dev.condense.cli;

import dev.condense.pipeline.Step;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code condense trim}: Hu et al. 2016's Network Trimming — neurons and channels that are
 * almost always zero after their ReLU (high APoZ) are removed, the network retrained from the
 * surviving weights, and the process repeated.
 */
@Command(name = "trim", mixinStandardHelpOptions = true,
    description = "Remove mostly-silent neurons and channels by APoZ and retrain, iteratively (Hu et al. 2016).")
final class TrimCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A trained model: zoo name, ONNX file.")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write the trimmed ONNX model.")
  Path out;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + Step.Trim.ITERATIONS, description = "Trim → retrain iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--layers-per-iteration", paramLabel = "K", defaultValue = "" + Step.Trim.LAYERS_PER_ITERATION,
      description = "Layers trimmed per iteration, highest mean APoZ first (default: ${DEFAULT-VALUE}).")
  int layersPerIteration;

  @Option(names = "--layers", paramLabel = "L[,L...]", split = ",", description = "Only these layers (default: every layer with a ReLU).")
  List<String> layers = List.of();

  @Option(names = "--stds", paramLabel = "S", defaultValue = "" + Step.Trim.STDS,
      description = "Trim channels whose APoZ is more than S standard deviations above the layer's mean (default: ${DEFAULT-VALUE}).")
  double stds;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "" + Step.Trim.SAMPLES, description = "Training images APoZ is measured on (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--fallback", paramLabel = "F", defaultValue = "" + Step.Trim.FALLBACK,
      description = "When no channel of a chosen layer is above its threshold, trim this share of its highest-APoZ "
          + "channels instead (0: stop trimming) (default: ${DEFAULT-VALUE}).")
  double fallback;

  @Option(names = "--strict", description = "Fail instead of falling back when a layer has no channel above its threshold.")
  boolean strict;

  @Mixin
  StructuredOptions options;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Override
  public Integer call() throws Exception {
    OptionRange.rounds("--iterations", iterations);
    OptionRange.check("--layers-per-iteration", layersPerIteration, 1, OptionRange.MAX_ROUNDS);
    OptionRange.check("--samples", samples, 1, ChannelPruneCommand.MAX_IMAGES);
    OptionRange.check("--stds", stds, -100, 100);
    if (!(fallback >= 0 && fallback < 1)) {
      throw new Cli.UsageError("--fallback must be in [0, 1), got " + fallback);
    }
    Step step = new Step.Trim(layers, layersPerIteration, iterations, stds, samples, fallback, strict, options.retrain());
    return options.run(spec, common, data, model, "Network Trimming (APoZ) of " + model, step, out);
  }
}
