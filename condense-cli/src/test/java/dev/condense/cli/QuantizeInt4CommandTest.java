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
 * {@code condense quantize --weights int4} end to end on a briefly trained LeNet-300-100: both
 * formats and both roundings run in ONNX Runtime with the engine simulation's predictions, the
 * file is over 5× smaller than float, and bad options are one line each.
 */
class QuantizeInt4CommandTest {
  @TempDir
  static Path dir;

  static Path trained;

  @BeforeAll
  static void train() {
    trained = dir.resolve("l300.onnx");
    CliRun r = CliRun.of("train", "lenet-300-100", "--limit", "2000", "--epochs", "1", "--lr", "0.05", "--batch", "32",
        "--out", trained.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
  }

  @Test
  void bothFormatsAndRoundingsRunInOnnxRuntime() throws Exception {
    for (String[] c : new String[][] {{"matmulnbits", "gptq", "32"}, {"qdq", "rtn", "128"}}) {
      Path out = dir.resolve("l300-int4-" + c[0] + ".onnx");
      CliRun r = CliRun.of("quantize", trained.toString(), "--weights", "int4", "--format", c[0], "--rounding", c[1],
          "--block", c[2], "--limit", "1000", "--calibration", "256", "--out", out.toString(),
          "--report", dir.resolve("int4.md").toString(), "--json");
      assertThat(r.status()).as(r.err()).isZero();
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("calibration_samples").asInt()).isEqualTo(256);
      assertThat(j.get("layer_output_error").size()).isEqualTo(3);
      assertThat(j.get("layers")).hasSize(3);
      assertThat(j.get("ort_agreement").asDouble()).as(c[0]).isGreaterThanOrEqualTo(0.99);
      assertThat(j.get("int4_ort_top1").asDouble()).as(c[0]).isGreaterThan(j.get("float_top1").asDouble() - 0.05);
      assertThat(Files.size(out)).isEqualTo(j.get("int4_bytes").asLong());
      assertThat((double) j.get("float_bytes").asLong() / Files.size(out)).as(c[0]).isGreaterThan(5.0);
      assertThat(Files.readString(dir.resolve("int4.md"))).contains("4-bit in ONNX Runtime");
    }
  }

  @Test
  void layersChoosesWhichGoToFourBits() throws Exception {
    Path out = dir.resolve("l300-ip2.onnx");
    CliRun r = CliRun.of("quantize", trained.toString(), "--weights", "int4", "--rounding", "rtn", "--layers", "ip2",
        "--limit", "500", "--out", out.toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("layers")).hasSize(1);
    assertThat(j.get("layers").get(0).asText()).isEqualTo("ip2");
    assertThat(j.get("ort_agreement").asDouble()).isGreaterThanOrEqualTo(0.99);
    // ip1 (784 x 300, most of the weights) stays float: the file shrinks far less than with every layer in 4 bits
    assertThat((double) j.get("float_bytes").asLong() / j.get("int4_bytes").asLong()).isBetween(1.05, 1.5);
    CliRun text = CliRun.of("quantize", trained.toString(), "--weights", "int4", "--rounding", "rtn", "--layers",
        "ip3,ip2", "--limit", "100", "--out", out.toString());
    assertThat(text.status()).as(text.err()).isZero();
    assertThat(text.out()).contains("of 2 layers (ip2, ip3) as MatMulNBits");
    CliRun missing = CliRun.of("quantize", trained.toString(), "--weights", "int4", "--rounding", "rtn", "--layers",
        "ip9", "--limit", "100", "--out", dir.resolve("none.onnx").toString());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err().strip()).contains("no node named 'ip9'").doesNotContain("\n");
    CliRun twice = CliRun.of("quantize", trained.toString(), "--weights", "int4", "--layers", "ip2,ip2", "--limit", "100",
        "--out", dir.resolve("none.onnx").toString());
    assertThat(twice.status()).isEqualTo(2);
    assertThat(twice.err().strip()).contains("--layers: layer 'ip2' is named twice");
    assertThat(dir.resolve("none.onnx")).doesNotExist();
  }

  @Test
  void badOptionsAreOneLine() {
    String out = dir.resolve("bad.onnx").toString();
    for (String[] c : new String[][] {
        {"--weights", "int2", "--weights must be int8 or int4, got 'int2'"},
        {"--block", "48", "--block must be one of 32, 64, 128, got 48"},
        {"--block", "256", "--block must be between 32 and 128, got 256"},
        {"--rounding", "awq", "--rounding must be rtn or gptq, got 'awq'"},
        {"--format", "gguf", "--format must be matmulnbits or qdq, got 'gguf'"},
        {"--calibrate", "entropy", "--calibrate and --activations apply to --weights int8 only"}}) {
      String[] args = c[0].equals("--weights")
          ? new String[] {"quantize", trained.toString(), "--limit", "100", c[0], c[1], "--out", out}
          : new String[] {"quantize", trained.toString(), "--limit", "100", "--weights", "int4", c[0], c[1], "--out", out};
      CliRun r = CliRun.of(args);
      assertThat(r.status()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip()).contains(c[2]).doesNotContain("\n").doesNotContain("Exception");
    }
    for (String[] int4Only : new String[][] {{"--rounding", "rtn"}, {"--layers", "ip1"}}) {
      CliRun int8 = CliRun.of("quantize", trained.toString(), "--limit", "100", int4Only[0], int4Only[1], "--out", out);
      assertThat(int8.status()).as(int4Only[0]).isEqualTo(2);
      assertThat(int8.err().strip()).contains("apply to --weights int4 only").doesNotContain("\n");
    }
    assertThat(dir.resolve("bad.onnx")).doesNotExist();
  }
}
