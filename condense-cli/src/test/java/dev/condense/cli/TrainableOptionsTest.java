package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.ops.TrainingGraphs;
import dev.condense.zoo.ModelSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code condense info} shows what trains; {@code --trainable}/{@code --frozen} override it on commands that train. */
class TrainableOptionsTest {
  @TempDir
  Path dir;

  @Test
  void infoNamesTheFrozenConstantsAndWhy() throws Exception {
    Path f = dir.resolve("pre.onnx");
    OnnxWriter.write(TrainingGraphs.preprocessedCnn(1), f);
    CliRun r = CliRun.of("info", f.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("training: 1,562 of 1,569 float values train (4 of 7 tensors)");
    assertThat(r.out()).containsPattern("pre\\.scale +3 +preprocessing prefix, at 'scale' \\(Mul -> s\\) before the first layer");
    assertThat(r.out()).containsPattern("half +1 +single-element constant, at 'halve' \\(Mul -> h\\)");
    assertThat(CliRun.of("info", "resnet-20").out())
        .contains("running-statistic tensors").doesNotContain("frozen ");
  }

  @Test
  void frozenKeepsALayerFixedInTrain() {
    Path out = dir.resolve("t.onnx");
    CliRun r = CliRun.of("train", "lenet-5", "--limit", "64", "--epochs", "1", "--batch", "32", "--frozen", "conv1.*",
        "--out", out.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
    Model before = ModelSource.load("lenet-5", 1);
    Model after = OnnxReader.load(out);
    String conv1 = before.graph().initializers().keySet().stream().filter(n -> n.startsWith("conv1.")).findFirst()
        .orElseThrow();
    assertThat(after.graph().initializer(conv1).floats()).containsExactly(before.graph().initializer(conv1).floats());
    String other = before.graph().initializers().keySet().stream().filter(n -> n.startsWith("conv2.")).findFirst()
        .orElseThrow();
    assertThat(after.graph().initializer(other).floats()).isNotEqualTo(before.graph().initializer(other).floats());
  }

  @Test
  void aPatternThatMatchesNothingIsOneUsageLineOnEveryTrainingCommand() {
    String o = dir.resolve("x.onnx").toString();
    for (String[] args : new String[][] {
        {"train", "lenet-5", "--limit", "64", "--epochs", "1", "--frozen", "conv9.*", "--out", o},
        {"prune", "lenet-5", "--limit", "64", "--sparsity", "0.5", "--frozen", "conv9.*", "--out", o},
        {"prune-filters", "lenet-5", "--limit", "64", "--ratio", "0.5", "--trainable", "conv9.*", "--out", o}}) {
      CliRun r = CliRun.of(args);
      assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).contains("--trainable/--frozen:").contains("pattern 'conv9.*' matches no float initializer");
    }
  }
}
