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
 * {@code condense quantize --qat-epochs N [--lr] [--distill]} and the recipe step's
 * {@code qat-epochs} end to end on a briefly trained LeNet-5: with activations clipped at their
 * 80th percentile (a calibration that costs accuracy), two epochs of quantization-aware training,
 * with the labels or distilled from the float model, give back accuracy in ONNX Runtime, in a file ONNX Runtime still runs
 * wholly in integer kernels; bad settings are one line each.
 */
class QatCommandTest {
  @TempDir
  static Path dir;

  static Path trained;

  @BeforeAll
  static void train() {
    trained = TrainedLenet5.write(dir);
  }

  private static JsonNode quantize(String... extra) throws Exception {
    String[] base = {"quantize", trained.toString(), "--limit", "1000", "--calibration", "256", "--calibrate",
        "percentile=80", "--out", dir.resolve("l5-int8.onnx").toString(), "--json"};
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    CliRun r = CliRun.of(args);
    assertThat(r.status()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void distilledQatWinsBackWhatACoarseCalibrationLost() throws Exception {
    JsonNode ptq = quantize();
    JsonNode qat = quantize("--qat-epochs", "2", "--lr", "0.005");
    assertThat(ptq.get("qat_epochs").asInt()).isZero();
    assertThat(qat.get("qat_epochs").asInt()).isEqualTo(2);
    double lost = ptq.get("float_top1").asDouble() - ptq.get("int8_ort_top1").asDouble();
    assertThat(lost).as("what the median clipping costs").isGreaterThan(0.02);
    assertThat(qat.get("int8_ort_top1").asDouble()).as("QAT in ONNX Runtime")
        .isGreaterThan(ptq.get("int8_ort_top1").asDouble() + lost / 2);
    assertThat(qat.get("integer_mac_share").asDouble()).isEqualTo(1.0);
    assertThat(qat.get("ort_agreement").asDouble()).isGreaterThanOrEqualTo(0.99);
    // distilled from the float model (soft targets at T 1: this briefly trained teacher's are flat at the default 4)
    JsonNode distilled = quantize("--qat-epochs", "2", "--lr", "0.005", "--distill", "--distill-temperature", "1");
    assertThat(distilled.get("int8_ort_top1").asDouble()).as("distilled QAT in ONNX Runtime")
        .isGreaterThan(ptq.get("int8_ort_top1").asDouble() + 0.02);
    assertThat(distilled.get("integer_mac_share").asDouble()).isEqualTo(1.0);
  }

  @Test
  void theRecipeStepTrainsToo() throws Exception {
    Path recipe = dir.resolve("qat.yaml");
    Files.writeString(recipe, "name: qat\ndescription: t\nsteps:\n"
        + "  - quantize-int8: {calibrate: percentile=80, calibration: 256, qat-epochs: 1, qat: {lr: 0.005, distill: {}}}\n");
    Path out = dir.resolve("recipe-int8.onnx");
    CliRun r = CliRun.of("compress", "--recipe", recipe.toString(), trained.toString(), "--limit", "1000",
        "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out() + r.err()).contains("QAT: 1 epoch(s) at lr 0.005").contains("distilling");
    assertThat(out).exists();
  }

  @Test
  void badSettingsAreOneLine() {
    String out = dir.resolve("bad.onnx").toString();
    for (String[] c : new String[][] {
        {"--qat-epochs", "-1", "--qat-epochs must be between 0 and 10,000, got -1"},
        {"--qat-epochs", "10001", "--qat-epochs must be between 0 and 10,000, got 10001"},
        {"--lr", "0", "--lr must be a number in (0, 10], got 0.0"},
        {"--distill", null, "--distill goes with --qat-epochs N"}}) {
      CliRun r = c[1] == null ? CliRun.of("quantize", trained.toString(), "--limit", "100", c[0], "--out", out)
          : CliRun.of("quantize", trained.toString(), "--limit", "100", c[0], c[1], "--out", out);
      assertThat(r.status()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip()).contains(c[2]).doesNotContain("\n").doesNotContain("Exception");
    }
    assertThat(dir.resolve("bad.onnx")).doesNotExist();
  }
}
