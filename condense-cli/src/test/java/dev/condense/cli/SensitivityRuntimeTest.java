package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code condense sensitivity --runtime ort} gives the engine's curves: a LeNet-5 trained briefly
 * on Fashion-MNIST, each layer pruned alone (weights, then filters) and evaluated on 500 test
 * images in both. Each point's top-1 may differ by at most one sample of the 500: both runtimes
 * compute in float32 with different summation orders (ONNX Runtime's MLAS against the engine's
 * GEMM), which can flip an image whose two best logits are within about 1e-6.
 */
class SensitivityRuntimeTest {
  private static final int SAMPLES = 500;

  @TempDir
  static Path dir;

  static Path trained;

  @BeforeAll
  static void train() {
    trained = dir.resolve("l5.onnx");
    CliRun r = CliRun.of("train", "lenet-5", "--data", "fashion-mnist", "--limit", "2000", "--epochs", "1", "--lr", "0.02",
        "--batch", "32", "--out", trained.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
  }

  private static JsonNode sensitivity(String runtime, String... more) throws Exception {
    Path prefix = dir.resolve(runtime + more.length);
    String[] base = {"sensitivity", trained.toString(), "--data", "fashion-mnist", "--limit", String.valueOf(SAMPLES),
        "--runtime", runtime, "--threads", "2", "--out", prefix.toString(), "--quiet"};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    CliRun r = CliRun.of(args);
    assertThat(r.status()).as(r.err()).isZero();
    return new ObjectMapper().readTree(Files.readString(Path.of(prefix + ".json")));
  }

  /** Every layer's every point within one sample of the engine's, and the curves not flat. */
  private static void agree(JsonNode engine, JsonNode ort, int layers) {
    double sample = 100.0 / SAMPLES;
    assertThat(ort.get("baseline_top1").asDouble()).isCloseTo(engine.get("baseline_top1").asDouble(),
        org.assertj.core.data.Offset.offset(sample + 1e-9));
    assertThat(ort.get("top1").size()).isEqualTo(engine.get("top1").size()).isEqualTo(layers);
    double spread = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = engine.get("top1").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> layer = it.next();
      JsonNode o = ort.get("top1").get(layer.getKey());
      assertThat(o).as(layer.getKey()).isNotNull();
      assertThat(o.size()).isEqualTo(layer.getValue().size());
      for (int i = 0; i < o.size(); i++) {
        double e = layer.getValue().get(i).asDouble();
        assertThat(o.get(i).asDouble()).as(layer.getKey() + " point " + i).isCloseTo(e,
            org.assertj.core.data.Offset.offset(sample + 1e-9));
        spread = Math.max(spread, Math.abs(e - layer.getValue().get(0).asDouble()));
      }
    }
    assertThat(spread).as("pruning changes the accuracy somewhere").isGreaterThan(5);
  }

  @Test
  void weightSensitivityInOnnxRuntimeIsTheEngines() throws Exception {
    String s = "0,0.3,0.6,0.9,0.99";
    agree(sensitivity("engine", "--sparsities", s), sensitivity("ort", "--sparsities", s), 4);
  }

  @Test
  void filterSensitivityInOnnxRuntimeIsTheEngines() throws Exception {
    String s = "0,0.5,0.9";
    JsonNode engine = sensitivity("engine", "--filters", "--sparsities", s);
    agree(engine, sensitivity("ort", "--filters", "--sparsities", s), engine.get("top1").size());
  }

  @Test
  void aRuntimeOfEvalAloneIsAUsageError() {
    CliRun r = CliRun.of("sensitivity", "lenet-5", "--runtime", "java", "--out", dir.resolve("x").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip()).contains("--runtime java goes with eval; sensitivity takes engine or ort")
        .doesNotContain("\n\tat ");
  }
}
