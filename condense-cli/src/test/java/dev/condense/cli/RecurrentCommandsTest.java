package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code condense train} and {@code eval} on a PyTorch-exported 2-layer bidirectional nn.LSTM
 * classifier with a sequence data set given as {@code --data npz:FILE} (fixtures and their script
 * in {@code src/test/resources/recurrent}): training lifts the test accuracy well above chance,
 * both runtimes evaluate the written model alike, and ONNX Runtime computes the engine's logits
 * from it.
 */
class RecurrentCommandsTest {
  @TempDir
  Path dir;

  private Path copy(String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in = RecurrentCommandsTest.class.getResourceAsStream("/recurrent/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  @Test
  void trainsEvaluatesAndWritesAnLstmModel() throws Exception {
    Path model = copy("lstm-opset13.onnx");
    String data = "npz:" + copy("data.npz");
    double before = CliRun.top1(CliRun.of("eval", model.toString(), "--data", data, "--json", "--quiet"));
    Path trained = dir.resolve("trained.onnx");
    CliRun train = CliRun.of("train", model.toString(), "--data", data, "--epochs", "40", "--batch", "16",
        "--lr", "0.05", "--seed", "3", "--out", trained.toString(), "--quiet");
    assertThat(train.status()).as(train.err()).isZero();
    double after = CliRun.top1(CliRun.of("eval", trained.toString(), "--data", data, "--json", "--quiet"));
    double ort = CliRun.top1(CliRun.of("eval", trained.toString(), "--data", data, "--runtime", "ort", "--json", "--quiet"));
    assertThat(after).as("test top-1 %% after training (before: %s)", before).isGreaterThan(Math.max(before + 20, 60));
    assertThat(ort).as("ONNX Runtime's top-1 of the written model").isEqualTo(after);

    Model written = OnnxReader.read(trained);
    int[] shape = {6, 7, 5};
    SplittableRandom r = new SplittableRandom(7);
    float[] x = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] expected = OrtReference.run(written, x, shape);
    float[] actual;
    try (CpuEngine engine = NativeEngines.create(2); Session s = engine.open(written)) {
      actual = s.run(Map.of("x", Tensor.of(x, shape))).get("y").floats();
    }
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4));
    }
  }
}
