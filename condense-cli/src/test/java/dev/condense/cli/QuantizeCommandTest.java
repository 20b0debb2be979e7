package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code condense quantize} end to end on a briefly trained LeNet-5: the INT8 file runs entirely in
 * ONNX Runtime's integer kernels, gives the engine simulation's predictions, is about 4× smaller,
 * and bad options are one line each.
 */
class QuantizeCommandTest {
  @TempDir
  static Path dir;

  static Path trained;

  @BeforeAll
  static void train() {
    trained = lenet5(dir);
  }

  /** A LeNet-5 trained one epoch on 2,000 MNIST images, written into {@code dir}. */
  static Path lenet5(Path dir) {
    Path f = dir.resolve("l5.onnx");
    CliRun r = CliRun.of("train", "lenet-5", "--limit", "2000", "--epochs", "1", "--lr", "0.02", "--batch", "32",
        "--out", f.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
    return f;
  }

  @Test
  void lenet5QuantizesToAModelOnnxRuntimeRunsInIntegerKernels() throws Exception {
    for (String method : new String[] {"minmax", "percentile=99.99", "entropy"}) {
      Path out = dir.resolve("l5-int8.onnx");
      CliRun r = CliRun.of("quantize", trained.toString(), "--limit", "1000", "--calibration", "256", "--calibrate", method,
          "--out", out.toString(), "--report", dir.resolve("int8.md").toString(), "--json");
      assertThat(r.status()).as(r.err()).isZero();
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("calibration").asText()).isEqualTo(method.equals("percentile=99.99") ? "percentile=99.99" : method);
      assertThat(j.get("calibration_samples").asInt()).isEqualTo(256);
      assertThat(j.get("integer_mac_share").asDouble()).as(method).isEqualTo(1.0);
      assertThat(j.get("float_nodes")).isEmpty();
      assertThat(j.get("ort_agreement").asDouble()).as(method).isGreaterThanOrEqualTo(0.995);
      assertThat(j.get("int8_ort_top1").asDouble()).as(method).isGreaterThan(j.get("float_top1").asDouble() - 0.02);
      assertThat(Files.size(out)).isEqualTo(j.get("int8_bytes").asLong());
      assertThat((double) j.get("float_bytes").asLong() / Files.size(out)).isGreaterThan(3.8);
      assertThat(Files.readString(dir.resolve("int8.md"))).contains("integer kernels");
    }
  }

  @Test
  void badOptionsAreOneLine() {
    String out = dir.resolve("bad.onnx").toString();
    for (String[] c : new String[][] {
        {"--calibrate", "kl", "--calibrate must be minmax, percentile=P with P in (0, 100], or entropy, got 'kl'"},
        {"--calibrate", "percentile=200", "got 'percentile=200'"},
        {"--activations", "int4", "--activations must be uint8 or int8, got 'int4'"}}) {
      CliRun r = CliRun.of("quantize", trained.toString(), "--limit", "100", c[0], c[1], "--out", out);
      assertThat(r.status()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip()).contains(c[2]).doesNotContain("\n").doesNotContain("Exception");
    }
    CliRun r = CliRun.of("quantize", trained.toString(), "--limit", "100", "--out", dir.resolve("bad.cdz").toString());
    assertThat(r.err().strip()).contains("--out must name an .onnx file").doesNotContain("\n");
    CliRun same = CliRun.of("quantize", trained.toString(), "--limit", "100", "--out", out, "--report", out);
    assertThat(same.status()).isEqualTo(2);
    assertThat(same.err().strip()).contains("--report and --out are the same file").doesNotContain("\n");
    CliRun input = CliRun.of("quantize", trained.toString(), "--limit", "100", "--out", trained.toString());
    assertThat(input.err().strip()).contains("is the input model").doesNotContain("\n");
    assertThat(dir.resolve("bad.onnx")).doesNotExist();
  }
}
