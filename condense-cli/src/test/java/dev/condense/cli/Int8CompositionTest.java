package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.condense.format.CdzFile;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.quant.int8.QdqLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INT8 composed with the other methods (issue 16 §4), end to end on a briefly trained LeNet-5: a
 * thinned model (prune-filters) quantizes to a model ONNX Runtime runs wholly in integer kernels,
 * so does a recipe that prunes to a MAC target and quantizes in one run, and an INT8 model written
 * as .cdz keeps its int8 weights and runs on integers in the .cdz runtime with ONNX Runtime's
 * predictions; Deep Compression writes its .cdz and an INT8 ONNX of the same model in one run.
 */
class Int8CompositionTest {
  @TempDir
  static Path dir;

  static Path trained;

  @BeforeAll
  static void train() {
    trained = TrainedLenet5.write(dir);
  }

  private static JsonNode quantize(Path model, Path out) throws Exception {
    CliRun r = CliRun.of("quantize", model.toString(), "--limit", "1000", "--calibration", "256", "--out", out.toString(),
        "--json");
    assertThat(r.status()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void aThinnedModelQuantizesToIntegerKernelsAndRunsOnIntegersFromCdz() throws Exception {
    Path thin = dir.resolve("l5-thin.onnx");
    CliRun p = CliRun.of("prune-filters", trained.toString(), "--ratio", "0.5", "--limit", "1000", "--out", thin.toString(),
        "--quiet");
    assertThat(p.status()).as(p.err()).isZero();
    JsonNode full = quantize(trained, dir.resolve("l5-int8.onnx"));
    Path cdz = dir.resolve("l5-thin-int8.cdz");
    JsonNode j = quantize(thin, cdz);
    assertThat(j.get("integer_mac_share").asDouble()).isEqualTo(1.0);
    assertThat(j.get("macs").asLong()).as("thinning removed multiply-adds").isLessThan(full.get("macs").asLong() * 3 / 4);
    assertThat(j.get("cdz_integer_layers").asInt()).isEqualTo(4);
    assertThat(j.get("cdz_ort_agreement").asDouble()).isGreaterThanOrEqualTo(0.995);
    assertThat(j.get("cdz_bytes").asLong()).isEqualTo(Files.size(cdz)).isLessThan(j.get("int8_bytes").asLong());
    Model back = CdzFile.read(cdz);
    assertThat(QdqLookup.integersOf(back.graph(), "conv1", 1).dtype()).isEqualTo(DType.INT8);
    assertThat(QdqLookup.integersOf(back.graph(), "conv1", 2).dtype()).isEqualTo(DType.INT32);
  }

  @Test
  void aRecipeThatPrunesToATargetThenQuantizesRunsInIntegerKernels() throws Exception {
    Path recipe = dir.resolve("thin-int8.yaml");
    Files.writeString(recipe, """
        name: thin-int8
        steps:
          - prune-to-target: {target: macs=0.5, rounds: 1, retrain: {epochs: 1, lr: 0.01, batch: 32}}
          - quantize-int8: {calibrate: minmax, calibration: 256}
        """);
    Path out = dir.resolve("l5-thin-int8.onnx");
    CliRun r = CliRun.of("compress", "--recipe", recipe.toString(), trained.toString(), "--limit", "1000",
        "--out", out.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
    // ONNX Runtime's optimized graph of the recipe's file: every layer an integer kernel, no float layer left
    java.util.Set<String> ops = new java.util.TreeSet<>();
    OrtOptimizedGraph.of(Files.readAllBytes(out), 1).forEach(n -> ops.add(n.opType()));
    assertThat(ops).as("op types ONNX Runtime runs").contains("QLinearConv").doesNotContain("Conv", "Gemm", "MatMul");
    assertThat(Files.size(out)).as("an INT8 file of a thinned LeNet-5").isLessThan(Files.size(trained) / 4);
  }

  @Test
  void deepCompressionWritesTheSmallCdzAndAnInt8OnnxForSpeedInOneRun() throws Exception {
    Path cdz = dir.resolve("l5-dc.cdz");
    Path int8 = dir.resolve("l5-dc-int8.onnx");
    CliRun r = CliRun.of("compress", trained.toString(), "--method", "deep-compression", "--rounds", "1",
        "--retrain-epochs", "1", "--quantize-epochs", "1", "--limit", "1000", "--out", cdz.toString(),
        "--int8-out", int8.toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out()).get("int8");
    assertThat(j.get("integer_mac_share").asDouble()).isEqualTo(1.0);
    assertThat(j.get("float_nodes")).isEmpty();
    assertThat(j.get("agreement").asDouble()).as("INT8 in ONNX Runtime against the compressed model").isGreaterThanOrEqualTo(0.98);
    assertThat(j.get("bytes").asLong()).isEqualTo(Files.size(int8));
    assertThat(Files.size(cdz)).as("Deep Compression's file is the small one").isLessThan(Files.size(int8) / 2);
    CliRun bad = CliRun.of("compress", trained.toString(), "--method", "deep-compression", "--out", cdz.toString(),
        "--int8-out", dir.resolve("x.cdz").toString());
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err().strip()).contains("--int8-out must name an .onnx file").doesNotContain("\n");
    CliRun same = CliRun.of("compress", trained.toString(), "--method", "deep-compression", "--out", int8.toString(),
        "--int8-out", int8.toString());
    assertThat(same.err().strip()).contains("are the same file").doesNotContain("\n");
  }
}
