package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.zoo.OrtReference;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code condense train} and {@code eval} on PyTorch's nn.TransformerEncoder text classifier (int64
 * token ids [B, 8], condense-engine's {@code exports/attention/text-opset13/17.onnx}) with a token
 * data set given as {@code --data npz:FILE} (int64 arrays, {@code src/test/resources/tokens}, made by
 * its script: class 1 where token 3 occurs): training lifts the test accuracy far above chance, both
 * runtimes score the written model alike, ONNX Runtime computes the engine's logits from it, and
 * preprocessing of token ids is refused in one line.
 */
class TokenCommandsTest {
  @org.junit.jupiter.api.io.TempDir
  Path dir;

  private Path data() throws Exception {
    Path p = dir.resolve("data.npz");
    try (InputStream in = TokenCommandsTest.class.getResourceAsStream("/tokens/data.npz")) {
      Files.copy(in, p);
    }
    return p;
  }

  private static Path model(String name) {
    Path p = Path.of("..", "condense-engine", "src", "test", "resources", "exports", "attention", name);
    assertThat(p).exists();
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"text-opset13.onnx", "text-opset17.onnx"})
  void trainsAndEvaluatesATextClassifierOnTokenIds(String name) throws Exception {
    Path model = model(name);
    String data = "npz:" + data();
    double before = CliRun.top1(CliRun.of("eval", model.toString(), "--data", data, "--json", "--quiet"));
    Path trained = dir.resolve("trained.onnx");
    CliRun train = CliRun.of("train", model.toString(), "--data", data, "--epochs", "8", "--batch", "16",
        "--lr", "0.05", "--seed", "3", "--out", trained.toString(), "--quiet");
    assertThat(train.status()).as(train.err()).isZero();
    double after = CliRun.top1(CliRun.of("eval", trained.toString(), "--data", data, "--json", "--quiet"));
    double ort = CliRun.top1(CliRun.of("eval", trained.toString(), "--data", data, "--runtime", "ort", "--json", "--quiet"));
    assertThat(after).as("test top-1 %% after training (before: %s)", before).isGreaterThan(Math.max(before + 20, 85));
    assertThat(ort).as("ONNX Runtime's top-1 of the written model").isEqualTo(after);

    Model written = OnnxReader.read(trained);
    SplittableRandom r = new SplittableRandom(7);
    long[] ids = new long[5 * 8];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(50);
    }
    Tensor x = Tensor.ofLongs(ids, 5, 8);
    float[] expected = OrtReference.run(written, x);
    float[] actual;
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(written)) {
      actual = s.run(Map.of("x", x)).get("logits").floats();
    }
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("logit %d", i).isCloseTo(expected[i], Offset.offset(1e-4));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"eval", "train"})
  void preprocessingOfTokenIdsIsRefused(String command) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command, model("text-opset13.onnx").toString(),
        "--data", "npz:" + data(), "--preprocess", "unit", "--quiet"));
    if (command.equals("train")) {
      args.addAll(java.util.List.of("--out", dir.resolve("out.onnx").toString()));
    }
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.status()).isNotZero();
    assertThat(r.err().strip()).contains("takes token ids, to which the preprocessing")
        .doesNotContain("\n").doesNotContain("Exception");
  }
}
