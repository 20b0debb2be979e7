package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code condense quantize --runtime ort}: the calibration's forward passes run in ONNX Runtime
 * and give the engine's quantized model. INT8 (min-max): the same tensors, integer ones (weights,
 * zero points) equal and activation scales within 1e-5 relative — the observed ranges are the
 * extremes of float32 values the two runtimes compute to about 1e-6. INT4 (GPTQ, which captures
 * each layer's inputs): the same codes but for a rounding decision a 1e-6 change of the inputs
 * can flip, at most 0.1% of them.
 */
class QuantizeRuntimeTest {
  @TempDir
  static Path dir;

  static Path trained;

  @BeforeAll
  static void train() {
    trained = TrainedLenet5.write(dir);
  }

  private static Model quantize(String runtime, String... more) throws Exception {
    Path out = dir.resolve(runtime + more.length + ".onnx");
    String[] base = {"quantize", trained.toString(), "--limit", "500", "--calibration", "256", "--runtime", runtime,
        "--threads", "2", "--out", out.toString(), "--json"};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    CliRun r = CliRun.of(args);
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("calibration_samples").asInt()).isEqualTo(256);
    return OnnxReader.read(out);
  }

  /** The share of elements of the two models' initializers that differ beyond {@code relative}. */
  private static double differing(Model a, Model b, double relative) {
    Map<String, Tensor> ia = a.graph().initializers();
    assertThat(b.graph().initializers().keySet()).isEqualTo(ia.keySet());
    long differ = 0;
    long all = 0;
    for (Map.Entry<String, Tensor> e : ia.entrySet()) {
      Tensor x = e.getValue();
      Tensor y = b.graph().initializer(e.getKey());
      assertThat(y.dtype()).as(e.getKey()).isEqualTo(x.dtype());
      assertThat(y.shape()).as(e.getKey()).isEqualTo(x.shape());
      float[] fx = x.dtype() == DType.FLOAT ? x.floats() : x.toFloats();
      float[] fy = y.dtype() == DType.FLOAT ? y.floats() : y.toFloats();
      for (int i = 0; i < fx.length; i++) {
        double tol = x.dtype() == DType.FLOAT ? relative * Math.max(Math.abs(fx[i]), 1e-30) : 0;
        differ += Math.abs(fx[i] - fy[i]) > tol ? 1 : 0;
      }
      all += fx.length;
    }
    assertThat(all).isGreaterThan(1000);
    return (double) differ / all;
  }

  @Test
  void int8CalibrationInOnnxRuntimeGivesTheEnginesModel() throws Exception {
    Model engine = quantize("engine");
    Model ort = quantize("ort");
    assertThat(differing(engine, ort, 1e-5)).isZero();
  }

  @Test
  void int4GptqCalibrationInOnnxRuntimeGivesTheEnginesCodes() throws Exception {
    String[] int4 = {"--weights", "int4", "--format", "qdq", "--rounding", "gptq", "--block", "32"};
    Model engine = quantize("engine", int4);
    Model ort = quantize("ort", int4);
    assertThat(differing(engine, ort, 1e-5)).isLessThanOrEqualTo(0.001);
  }

  @Test
  void aRuntimeOfEvalAloneIsAUsageError() {
    CliRun r = CliRun.of("quantize", "lenet-5", "--runtime", "both", "--out", dir.resolve("x.onnx").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--runtime both goes with eval; quantize takes engine or ort");
  }
}
