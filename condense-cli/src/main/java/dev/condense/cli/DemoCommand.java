package dev.condense.cli;

import dev.condense.format.CdzFile;
import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.RecipeReader;
import dev.condense.pipeline.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code condense demo}: the built-in default job, offline — Deep Compression of LeNet-300-100 on
 * the 10,000 MNIST digits shipped inside Condense, by the shipped recipe
 * (recipes/deep-compression-lenet-300-100.yaml, packed into the jar): train, prune to Han et
 * al.'s densities, share the weights in 31 centroids per layer and fine-tune them, write a
 * Huffman-coded {@code .cdz}, read it back with the pure-Java runtime, and print Deep
 * Compression's table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the built-in demo offline: Deep Compression of LeNet-300-100 on the bundled MNIST digits.")
final class DemoCommand implements Callable<Integer> {
  static final String RECIPE = "deep-compression-lenet-300-100.yaml";

  @Spec
  CommandSpec spec;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Training epochs (default: the recipe's, 30).")
  Integer epochs;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "condense-demo",
      description = "Directory for the demo's model and report (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (epochs != null && epochs < 1) {
      throw new Cli.UsageError("--epochs must be ≥ 1, got " + epochs);
    }
    Files.createDirectories(outDir);
    DataOptions data = new DataOptions();
    data.data = "mnist";
    List<Step> steps = new ArrayList<>(recipe().steps());
    if (epochs != null && steps.get(0) instanceof Step.Train t) {
      steps.set(0, new Step.Train(t.settings().withEpochs(epochs)));
    }
    return CompressionRun.run(new Output(spec.commandLine().getOut(), common), common, data, "lenet-300-100",
        "Condense demo: Deep Compression of LeNet-300-100 on the built-in MNIST digits", steps,
        outDir.resolve("lenet-300-100.cdz"), outDir.resolve("report.md"), true,
        new CdzFile.Options(0, java.util.Map.of(), CdzFile.Stage.PQH));
  }

  /** recipes/deep-compression-lenet-300-100.yaml, packed into the jar. */
  static Recipe recipe() throws IOException {
    String name = "recipes/" + RECIPE;
    try (InputStream in = DemoCommand.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return RecipeReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    }
  }
}
