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
    trained = TrainedLenet5.write(dir);
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
  void sensitivityAndMaxDropKeepTheCostliestLayersFloatAndOnnxRuntimeFusesTheRest() throws Exception {
    Path out = dir.resolve("l5-mixed.onnx");
    Path md = dir.resolve("mixed.md");
    // ranges clipped at the median of |x|: a calibration that costs accuracy, so that layers must stay float
    CliRun r = CliRun.of("quantize", trained.toString(), "--limit", "2000", "--calibration", "256", "--calibrate",
        "percentile=50", "--max-drop", "0.5", "--validation", "300", "--out", out.toString(), "--report", md.toString(),
        "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    JsonNode rows = j.get("sensitivity");
    assertThat(rows).hasSize(4);
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i).get("drop").asDouble()).isLessThanOrEqualTo(rows.get(i - 1).get("drop").asDouble());
    }
    assertThat(j.get("validation_samples").asInt()).isEqualTo(300);
    double floatTop1 = j.get("float_validation_top1").asDouble();
    assertThat(floatTop1 - j.get("int8_validation_top1").asDouble()).as("all INT8 misses the budget").isGreaterThan(0.005);
    assertThat(floatTop1 - j.get("mixed_validation_top1").asDouble()).isLessThanOrEqualTo(0.005);
    JsonNode kept = j.get("float_layers");
    assertThat(kept).isNotEmpty();
    long total = 0;
    long floatMacs = 0;
    for (int i = 0; i < rows.size(); i++) {
      long macs = rows.get(i).get("macs").asLong();
      total += macs;
      if (i < kept.size()) {
        assertThat(kept.get(i).asText()).as("kept float in the table's order").isEqualTo(rows.get(i).get("layer").asText());
        floatMacs += macs;
      }
    }
    assertThat(j.get("integer_mac_share").asDouble()).isCloseTo((double) (total - floatMacs) / total,
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(j.get("float_nodes")).isNotEmpty();
    assertThat(j.get("ort_agreement").asDouble()).isGreaterThanOrEqualTo(0.99);
    assertThat(Files.readString(md)).contains("sensitivity (validation top-1").contains(kept.get(0).asText() + " stays float");
  }

  @Test
  void badInputIsOneLineNamingTheNodeOrTheInput() throws Exception {
    // a float op ONNX Runtime has no integer kernel for, on the data path
    dev.condense.graph.Model l5 = dev.condense.graph.Model.of(dev.condense.zoo.LeNet.lenet5(new int[] {1, 28, 28}, 10, 1));
    java.util.List<dev.condense.graph.Node> nodes = new java.util.ArrayList<>();
    for (dev.condense.graph.Node n : l5.graph().nodes()) {
      nodes.add(n.name().equals("relu1") ? new dev.condense.graph.Node(n.name(), "Tanh", n.inputs(), n.outputs()) : n);
    }
    Path tanh = dir.resolve("tanh.onnx");
    Files.write(tanh, dev.condense.onnx.OnnxWriter.toBytes(l5.withGraph(l5.graph().withNodes(nodes))));
    // a model for 3×16×16 images calibrated on 1×28×28 ones
    Path rgb = dir.resolve("rgb.onnx");
    Files.write(rgb, dev.condense.onnx.OnnxWriter.toBytes(dev.condense.graph.Model.of(
        dev.condense.zoo.ResNet.cifar(8, true, new int[] {3, 16, 16}, 10, 0.5, 2))));
    String out = dir.resolve("bad-input.onnx").toString();
    CliRun t = CliRun.of("quantize", tanh.toString(), "--limit", "100", "--out", out, "--quiet");
    assertThat(t.status()).isEqualTo(1);
    assertThat(t.err().strip().lines().filter(l -> l.startsWith("condense: error")).toList()).singleElement()
        .asString().contains("node 'relu1' (Tanh").contains("no integer kernel for Tanh").doesNotContain("Exception");
    CliRun s = CliRun.of("quantize", rgb.toString(), "--limit", "100", "--out", out, "--quiet");
    assertThat(s.status()).isEqualTo(1);
    assertThat(s.err().strip().lines().filter(l -> l.startsWith("condense: error")).toList()).singleElement()
        .asString().contains("[1, 28, 28]").contains("do not fit model input").doesNotContain("Exception");
    assertThat(Path.of(out)).doesNotExist();
  }

  @Test
  void badOptionsAreOneLine() {
    String out = dir.resolve("bad.onnx").toString();
    for (String[] c : new String[][] {
        {"--calibrate", "kl", "--calibrate must be minmax, percentile=P with P in (0, 100], or entropy, got 'kl'"},
        {"--calibrate", "percentile=200", "got 'percentile=200'"},
        {"--activations", "int4", "--activations must be uint8 or int8, got 'int4'"},
        {"--max-drop", "150", "--max-drop must be in [0, 100] points, got 150.0"},
        {"--validation", "0", "--validation must be ≥ 1, got 0"},
        {"--validation", "100", "--validation goes with --sensitivity or --max-drop"}}) {
      CliRun r = CliRun.of("quantize", trained.toString(), "--limit", "100", c[0], c[1], "--out", out);
      assertThat(r.status()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip()).contains(c[2]).doesNotContain("\n").doesNotContain("Exception");
    }
    CliRun r = CliRun.of("quantize", trained.toString(), "--limit", "100", "--out", dir.resolve("bad.txt").toString());
    assertThat(r.err().strip()).contains("must end in .onnx or .cdz").doesNotContain("\n");
    CliRun same = CliRun.of("quantize", trained.toString(), "--limit", "100", "--out", out, "--report", out);
    assertThat(same.status()).isEqualTo(2);
    assertThat(same.err().strip()).contains("--report and --out are the same file").doesNotContain("\n");
    CliRun input = CliRun.of("quantize", trained.toString(), "--limit", "100", "--out", trained.toString());
    assertThat(input.err().strip()).contains("is the input model").doesNotContain("\n");
    assertThat(dir.resolve("bad.onnx")).doesNotExist();
  }
}
