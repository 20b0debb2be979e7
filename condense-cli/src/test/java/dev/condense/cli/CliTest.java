package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: exit statuses, one-line errors, outputs, JSON. */
class CliTest {
  @TempDir
  Path dir;

  @Test
  void helpAndVersion() {
    assertThat(CliRun.of("--help").status()).isZero();
    CliRun v = CliRun.of("--version");
    assertThat(v.status()).isZero();
    assertThat(v.out()).startsWith("condense ");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun r = CliRun.of("info", "lenet-5", "--frobnicate");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--frobnicate");
  }

  @Test
  void outputsThatCollideWithEachOtherOrTheInputAreRefusedBeforeAnyWork() throws Exception {
    Path model = dir.resolve("x.json"); // an ONNX model whose name ends in .json
    assertThat(CliRun.of("train", "lenet-300-100", "--epochs", "0", "--out", dir.resolve("m.onnx").toString()).status())
        .isZero();
    java.nio.file.Files.copy(dir.resolve("m.onnx"), model);
    byte[] before = java.nio.file.Files.readAllBytes(model);
    String[][] cases = {
        {"prune", model.toString(), "--sparsity", "0.5", "--out", dir.resolve("p.onnx").toString(), "--report",
            dir.resolve("p.onnx").toString(), "--limit", "100"},
        {"prune", model.toString(), "--sparsity", "0.5", "--out", dir.resolve("c.json").toString(), "--report",
            dir.resolve("c.md").toString(), "--limit", "100"},
        {"prune", model.toString(), "--sparsity", "0.5", "--out", dir.resolve("q.onnx").toString(), "--report",
            dir.resolve("x.md").toString(), "--limit", "100"},
        {"train", "lenet-5", "--out", dir.resolve("m.txt").toString()}};
    String[] expected = {"--report and --out are the same file", "must end in .onnx or .cdz",
        "--report's JSON: " + model + " is the input model", "must end in .onnx or .cdz"};
    for (int i = 0; i < cases.length; i++) {
      CliRun r = CliRun.of(cases[i]);
      assertThat(r.status()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains(expected[i]);
    }
    assertThat(java.nio.file.Files.readAllBytes(model)).as("the input is untouched").isEqualTo(before);
    assertThat(dir.resolve("p.onnx")).doesNotExist();
    assertThat(dir.resolve("q.onnx")).doesNotExist();
    CliRun upper = CliRun.of("compress", model.toString(), "--method", "deep-compression", "--rounds", "1",
        "--retrain-epochs", "0", "--quantize-epochs", "0", "--limit", "100", "--out", dir.resolve("U.CDZ").toString());
    assertThat(upper.status()).as(upper.err()).isZero();
    assertThat(dev.condense.format.CdzFile.read(dir.resolve("U.CDZ")).graph().nodes()).isNotEmpty();
  }

  @Test
  void usageErrorsAreOneLineOnStderrNotTheWholeHelp() {
    for (String[] args : new String[][] {{"info", "lenet-5", "--frobnicate"}, {"prune"}, {"no-such-command"},
        {"prune", "lenet-5", "--out", dir.resolve("m.onnx").toString(), "--sparsity", "0.5", "--han"},
        {"train", "lenet-5", "--epochs", "-1", "--out", dir.resolve("m.onnx").toString()}}) {
      CliRun r = CliRun.of(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.out()).as(String.join(" ", args)).isEmpty();
      assertThat(r.err().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).as(r.err()).startsWith("condense").contains("--help").doesNotContain("Usage:");
    }
  }

  @Test
  void nonsenseValuesAreUsageErrorsNamingTheOption() {
    for (String[] args : new String[][] {
        {"train", "lenet-5", "--epochs", "-1", "--out", dir.resolve("m.onnx").toString()},
        {"train", "lenet-5", "--lr", "0", "--out", dir.resolve("m.onnx").toString()},
        {"train", "lenet-5", "--schedule", "sometimes", "--out", dir.resolve("m.onnx").toString()},
        {"eval", "lenet-5", "--batch", "0"},
        {"eval", "lenet-5", "--limit", "0"},
        {"train", "lenet-5", "--out", dir.resolve("missing-dir/m.onnx").toString()}}) {
      CliRun r = CliRun.of(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
      String option = args[2].startsWith("--") ? args[2] : "--out";
      assertThat(r.err()).as(String.join(" ", args)).contains(option);
    }
    assertThat(CliRun.of("train", "lenet-5").status()).as("--out is required").isEqualTo(2);
  }

  @Test
  void badModelFilesFailWithOneLineNamingTheFile() throws Exception {
    Path garbage = dir.resolve("garbage.onnx");
    Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    Path text = dir.resolve("notes.onnx");
    Files.writeString(text, "this is not a model\n");
    for (Path p : new Path[] {dir.resolve("missing.onnx"), garbage, text}) {
      CliRun r = CliRun.of("info", p.toString());
      assertThat(r.status()).as(p.toString()).isEqualTo(1);
      assertThat(r.err().strip()).as(p.toString()).startsWith("condense: error: " + p).doesNotContain("\n");
      assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void badDataPathFailsWithOneLine() {
    CliRun r = CliRun.of("eval", "lenet-5", "--data", dir.resolve("nowhere").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("condense: error:").contains("nowhere").doesNotContain("\n");
  }

  @Test
  void latencyTimesTwoModelsAndChecksTheirInputs() throws Exception {
    JsonNode j = new ObjectMapper().readTree(
        CliRun.of("latency", "lenet-5", "lenet-300-100", "--batch", "2", "--threads", "1", "--json").out());
    assertThat(j.get("macs_original").asLong()).isEqualTo(2_293_000);
    assertThat(j.get("macs_model").asLong()).isEqualTo(266_200);
    assertThat(j.get("macs_ratio").asDouble()).isCloseTo(2_293_000 / 266_200.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(j.get("latency")).hasSize(1);
    assertThat(j.get("latency").get(0).get("batch").asInt()).isEqualTo(2);
    assertThat(j.get("latency").get(0).get("original_ms").asDouble()).isPositive();
    assertThat(j.get("latency").get(0).get("speed_up").asDouble()).isPositive();

    Path cifar = dir.resolve("cifar.onnx");
    dev.condense.onnx.OnnxWriter.write(dev.condense.zoo.Zoo.create("lenet-5", 1, new int[] {3, 32, 32}, 10), cifar);
    CliRun mismatch = CliRun.of("latency", "lenet-5", cifar.toString());
    assertThat(mismatch.status()).isEqualTo(1);
    assertThat(mismatch.err().strip()).contains(cifar.toString()).contains("[3, 32, 32]").doesNotContain("\n");
    CliRun badBatch = CliRun.of("latency", "lenet-5", "lenet-5", "--batch", "0");
    assertThat(badBatch.status()).isEqualTo(2);
    assertThat(badBatch.err()).contains("--batch");
  }

  @Test
  void infoListsLayersAndTotals() throws Exception {
    CliRun r = CliRun.of("info", "lenet-300-100");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("ip1").contains("Gemm").contains("266610");
    JsonNode j = new ObjectMapper().readTree(CliRun.of("info", "lenet-5", "--json").out());
    assertThat(j.get("params").asLong()).isEqualTo(431_080);
    assertThat(j.get("layers")).hasSize(4);
    assertThat(j.get("macs").asLong()).isEqualTo(2_293_000);
  }

  @Test
  void trainWritesAModelThatEvaluatesTheSameInTheEngineAndInOnnxRuntime() throws Exception {
    Path out = dir.resolve("m.onnx");
    CliRun r = CliRun.of("train", "lenet-300-100", "--data", "mnist", "--limit", "1024", "--epochs", "1", "--lr", "0.05",
        "--out", out.toString(), "--json", "--threads", "2");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("epochs")).hasSize(1);
    assertThat(Files.size(out)).isGreaterThan(1_000_000);
    JsonNode engine = new ObjectMapper().readTree(CliRun.of("eval", out.toString(), "--json").out());
    JsonNode ort = new ObjectMapper().readTree(CliRun.of("eval", out.toString(), "--runtime", "ort", "--json").out()).get("ort");
    JsonNode both = new ObjectMapper().readTree(CliRun.of("eval", out.toString(), "--runtime", "both", "--json").out());
    assertThat(both.get("ort_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    assertThat(engine.get("top1").asDouble()).isGreaterThan(50).isEqualTo(ort.get("top1").asDouble());
    assertThat(engine.get("samples").asInt()).isEqualTo(2000);
  }

  @Test
  void neverOverwritesItsInput() throws Exception {
    Path in = dir.resolve("in.onnx");
    assertThat(CliRun.of("train", "lenet-300-100", "--epochs", "0", "--out", in.toString()).status()).isZero();
    byte[] before = Files.readAllBytes(in);
    CliRun r = CliRun.of("train", in.toString(), "--epochs", "1", "--out", in.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("never overwrites its input");
    assertThat(Files.readAllBytes(in)).isEqualTo(before);
  }
}
