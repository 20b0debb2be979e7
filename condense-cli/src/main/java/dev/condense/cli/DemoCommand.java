package dev.condense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * (recipes/deep-compression-lenet-300-100-mnist.yaml, packed into the jar): train, prune to about Han
 * et al.'s densities, share each layer's weights among 15 or 31 centroids and fine-tune them
 * (distilling from the dense model), write a Huffman-coded {@code .cdz}, read it back with the
 * pure-Java runtime, print Deep Compression's table, and say whether the run met the demo's target
 * ({@link Target}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the built-in demo offline: Deep Compression of LeNet-300-100 on the bundled MNIST digits.")
final class DemoCommand implements Callable<Integer> {
  static final String RECIPE = "deep-compression-lenet-300-100-mnist.yaml";

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
    if (epochs != null) {
      OptionRange.check("--epochs", epochs, 1, OptionRange.MAX_EPOCHS);
    }
    Files.createDirectories(outDir);
    DataOptions data = new DataOptions();
    data.data = "mnist";
    List<Step> steps = new ArrayList<>(recipe().steps());
    if (epochs != null && steps.get(0) instanceof Step.Train t) {
      steps.set(0, new Step.Train(t.settings().withEpochs(epochs)));
    }
    Output o = new Output(spec.commandLine(), common);
    Path report = outDir.resolve("report.md");
    int status = CompressionRun.run(o, common, data, "lenet-300-100",
        "Condense demo: Deep Compression of LeNet-300-100 on the built-in MNIST digits", steps,
        outDir.resolve("lenet-300-100.cdz"), report, true,
        new CdzFile.Options(0, java.util.Map.of(), CdzFile.Stage.PQH));
    JsonNode dc = new ObjectMapper().readTree(report.resolveSibling("report.json").toFile()).get("deep_compression");
    o.line(Target.DEMO.verdict(dc.get("top1_reference").asDouble(), dc.get("top1_after").asDouble(),
        dc.get("ratio_pqh").asDouble()));
    return status;
  }

  /**
   * What the demo promises (README): the {@code .cdz} file at least {@code minRatio} times smaller
   * than the dense ONNX file, its top-1 at most {@code maxDrop} points below the dense model's —
   * Deep Compression's LeNet-300-100 result (40×, no loss) with the noise of 2,000 test images.
   */
  record Target(double minRatio, double maxDrop) {
    static final Target DEMO = new Target(40, 0.3);

    boolean met(double denseTop1, double top1, double ratio) {
      return ratio >= minRatio && denseTop1 - top1 <= maxDrop + 1e-9; // top-1 moves in steps of 0.05 points
    }

    /** One line: the target, met or not, and the run's numbers. */
    String verdict(double denseTop1, double top1, double ratio) {
      return String.format("Target (≥ %.0f× smaller, top-1 within %.1f points): %s — %.1f× smaller, %+.2f points.",
          minRatio, maxDrop, met(denseTop1, top1, ratio) ? "met" : "NOT met", ratio, top1 - denseTop1);
    }
  }

  /** recipes/deep-compression-lenet-300-100-mnist.yaml, packed into the jar. */
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
