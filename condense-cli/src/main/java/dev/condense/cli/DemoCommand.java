package dev.condense.cli;

import dev.condense.engine.LrSchedule;
import dev.condense.format.CdzFile;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import dev.condense.quant.KMeans1D;
import dev.condense.report.PaperReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code condense demo}: the built-in default job, offline — Deep Compression of LeNet-300-100 on
 * the 10,000 MNIST digits shipped inside Condense: train, prune to Han et al.'s densities, share
 * the weights in 31 centroids per layer and fine-tune them, write a Huffman-coded {@code .cdz},
 * read it back with the pure-Java runtime, and print Deep Compression's table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the built-in demo offline: Deep Compression of LeNet-300-100 on the bundled MNIST digits.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "15", description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "condense-demo",
      description = "Directory for the demo's model and report (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (epochs < 1) {
      throw new Cli.UsageError("--epochs must be ≥ 1, got " + epochs);
    }
    Files.createDirectories(outDir);
    DataOptions data = new DataOptions();
    data.data = "mnist";
    TrainSettings train = new TrainSettings(epochs, 0.05, 32, 0.9, 5e-4, new LrSchedule.Cosine(0), TrainSettings.Freeze.NONE);
    TrainSettings retrain = new TrainSettings(2, 0.01, 32, 0.9, 5e-4, new LrSchedule.Cosine(0), TrainSettings.Freeze.NONE);
    TrainSettings fine = new TrainSettings(3, 0.0005, 32, 0.9, 0, new LrSchedule.Cosine(0), TrainSettings.Freeze.NONE);
    List<Step> steps = List.of(
        new Step.Train(train),
        new Step.IterativePrune(PaperReference.han2015Sparsity("lenet-300-100"), Double.NaN, 10, retrain, false),
        new Step.Quantize(java.util.Map.of(), 8, 5, KMeans1D.Init.LINEAR, fine));
    return CompressionRun.run(new Output(spec.commandLine().getOut(), common), common, data, "lenet-300-100",
        "Condense demo: Deep Compression of LeNet-300-100 on the built-in MNIST digits", steps,
        outDir.resolve("lenet-300-100.cdz"), outDir.resolve("report.md"), true,
        new CdzFile.Options(0, java.util.Map.of(), CdzFile.Stage.PQH));
  }
}
