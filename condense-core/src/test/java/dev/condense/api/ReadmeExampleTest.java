package dev.condense.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.DataSplit;
import dev.condense.engine.Progress;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import dev.condense.pipeline.Pipeline;
import dev.condense.pipeline.RecipeReader;
import dev.condense.prune.Masks;
import dev.condense.report.ModelSummary;
import dev.condense.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's library example is {@link ReadmeExample}'s code, line for line, and it runs: on a
 * LeNet-5 trained briefly on the built-in digits, with a short Deep Compression recipe.
 */
class ReadmeExampleTest {
  @TempDir
  Path dir;

  static List<String> lines(String text) {
    String body = text.substring(text.indexOf("// README:begin") + "// README:begin".length(), text.indexOf("// README:end"));
    return body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void theReadmeShowsThisCode() throws Exception {
    List<String> code = lines(Files.readString(Path.of("src/test/java/dev/condense/api/ReadmeExample.java")));
    String readme = Files.readString(Path.of(System.getProperty("condense.readme", "../README.md")));
    String section = readme.substring(readme.indexOf("## The library"));
    section = section.substring(section.indexOf("```java") + 7, section.indexOf("```", section.indexOf("```java") + 7));
    List<String> shown = section.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("import ")).toList();
    assertThat(shown).as("README.md's library example").isEqualTo(code);
  }

  @Test
  void theExampleRuns() throws Exception {
    DataSplit data = Condense.data("mnist", 1000);
    Model trained = new Pipeline(new CpuEngine(2), data, 1, Progress.NONE, l -> { })
        .run(Zoo.create("lenet-5", 1), RecipeReader.parse("steps:\n  - train: {epochs: 1, lr: 0.05, batch: 32}\n", "t")
            .steps()).model();
    OnnxWriter.write(trained, dir.resolve("lenet5.onnx"));
    Files.writeString(dir.resolve("deep-compression.yaml"), """
        name: short-deep-compression
        steps:
          - iterative-prune: {rounds: 1, sparsity: {conv1: 0.3, conv2: 0.8, ip1: 0.9, ip2: 0.8}, retrain: {epochs: 1, batch: 32}}
          - quantize: {conv-bits: 8, fc-bits: 5, epochs: 1, lr: 0.0005, batch: 32, weight-decay: 0}
        """);
    ReadmeExample.run(dir);
    Model thin = Condense.load(dir.resolve("lenet5-thin.onnx"));
    assertThat(thin.graph().parameterCount()).isLessThan(trained.graph().parameterCount());
    Model cdz = Condense.load(dir.resolve("lenet5.cdz"));
    Masks m = Masks.fromZeros(cdz);
    assertThat((double) m.keptTotal() / m.sizeTotal()).isLessThan(0.11);
    assertThat(WeightSharing.isShared(cdz)).isTrue();
    assertThat(ModelSummary.of(Condense.load(dir.resolve("lenet5-he.onnx"))).macs())
        .isLessThanOrEqualTo(ModelSummary.of(trained).macs() / 2 + ModelSummary.of(trained).macs() / 20);
    assertThat(Files.size(dir.resolve("lenet5-dc.cdz"))).isLessThan(Files.size(dir.resolve("lenet5.onnx")) / 10);
  }
}
