package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prune, compress and sensitivity end to end on a slice of the built-in digits. */
class PruneCommandsTest {
  @TempDir
  Path dir;

  Path trained() {
    Path m = dir.resolve("trained.onnx");
    CliRun r = CliRun.of("train", "lenet-300-100", "--limit", "2000", "--epochs", "2", "--lr", "0.05", "--out", m.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
    return m;
  }

  @Test
  void pruneWritesExactZerosAReportAndAFileOnnxRuntimeAgreesWith() throws Exception {
    Path m = trained();
    Path out = dir.resolve("pruned.onnx");
    Path report = dir.resolve("report.md");
    CliRun r = CliRun.of("prune", m.toString(), "--limit", "2000", "--sparsity", "ip1=0.9,ip2=0.8,ip3=0.5", "--rounds", "2",
        "--retrain-epochs", "1", "--retrain-lr", "0.005", "--remove-dead", "--out", out.toString(), "--report",
        report.toString(), "--json", "--threads", "2");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    JsonNode layers = j.get("report").get("layers");
    assertThat(layers.get(0).get("weights_kept").asDouble()).isLessThanOrEqualTo(0.1001);
    assertThat(j.get("report").get("csr_bytes").asLong()).isLessThan(j.get("report").get("dense_onnx_bytes").asLong() / 4);
    assertThat(Files.readString(report)).contains("| ip1 |").contains("Han 2015 kept").contains("CSR");
    assertThat(Files.exists(dir.resolve("report.json"))).isTrue();
    CliRun info = CliRun.of("info", out.toString(), "--json");
    JsonNode in = new ObjectMapper().readTree(info.out());
    // info shows the thinned layer's own density: dead units are gone, so it is a little higher
    assertThat(in.get("layers").get(0).get("density").asDouble()).isLessThan(0.12);
  }

  @Test
  void compressRunsARecipeAndBadRecipesFailWithOneLine() throws Exception {
    Path recipe = dir.resolve("r.yaml");
    Files.writeString(recipe, """
        name: quick
        steps:
          - train: {epochs: 1, lr: 0.05}
          - gradual-prune: {sparsity: 0.8, epochs: 2, lr: 0.01}
        """);
    CliRun r = CliRun.of("compress", "lenet-300-100", "--recipe", recipe.toString(), "--limit", "1000",
        "--out", dir.resolve("c.onnx").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("stages")).hasSize(3);
    assertThat(j.get("report").get("weights_kept").asDouble()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.002));
    Files.writeString(recipe, "steps:\n  - train: {epochs: 1, lr: fast}\n");
    CliRun bad = CliRun.of("compress", "lenet-300-100", "--recipe", recipe.toString(), "--out", dir.resolve("d.onnx").toString());
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.err().strip()).startsWith("condense: error: recipe " + recipe + ": step 1 (train): field 'lr'")
        .doesNotContain("\n");
    assertThat(Files.exists(dir.resolve("d.onnx"))).isFalse();
  }

  @Test
  void deepCompressionWritesACdzAndASmallGatherOnnxThatReadBackTheSame() throws Exception {
    Path m = trained();
    Path cdz = dir.resolve("m.cdz");
    CliRun r = CliRun.of("compress", m.toString(), "--method", "deep-compression", "--sparsity", "0.9", "--rounds", "2",
        "--retrain-epochs", "1", "--quantize-epochs", "1", "--limit", "2000", "--gap-bits", "auto", "--out", cdz.toString(),
        "--report", dir.resolve("dc.md").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).as("the .cdz runtime").isGreaterThanOrEqualTo(0.999);
    JsonNode dc = j.get("deep_compression");
    assertThat(dc.get("ratio_pqh").asDouble()).isGreaterThan(dc.get("ratio_pq").asDouble()).isGreaterThan(20);
    assertThat(j.get("out_bytes").asLong()).isEqualTo(dc.get("cdz_bytes_pqh").asLong());
    VqCommandsTest.partsAddUpToTheFile(j, cdz);
    assertThat(Files.readString(dir.resolve("dc.md"))).contains("weight bits (P+Q+H)");
    assertThat(Files.size(dir.resolve("dc-weights.png"))).isGreaterThan(1000);
    JsonNode back = new ObjectMapper().readTree(CliRun.of("eval", cdz.toString(), "--runtime", "java", "--limit", "2000", "--json").out());
    assertThat(back.get("top1").asDouble()).isCloseTo(j.get("stages").get(2).get("top1").asDouble(), org.assertj.core.data.Offset.offset(0.01));

    Path onnx = dir.resolve("m-gather.onnx");
    CliRun g = CliRun.of("compress", m.toString(), "--method", "deep-compression", "--sparsity", "0.9", "--rounds", "1",
        "--retrain-epochs", "0", "--quantize-epochs", "0", "--limit", "2000", "--out", onnx.toString(), "--json");
    assertThat(g.status()).as(g.err()).isZero();
    JsonNode gj = new ObjectMapper().readTree(g.out());
    assertThat(gj.get("readback_agreement").asDouble()).as("ONNX Runtime on Cast+Gather").isGreaterThanOrEqualTo(0.999);
    assertThat(Files.size(onnx)).isLessThan(Files.size(m) / 3);
    CliRun both = CliRun.of("eval", onnx.toString(), "--runtime", "both", "--limit", "2000", "--json");
    assertThat(new ObjectMapper().readTree(both.out()).get("ort_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
  }

  @Test
  void aParameterTargetChoosesPerLayerSparsitiesFromSensitivityAndSparesTheSensitiveLayer() throws Exception {
    Path m = trained();
    CliRun r = CliRun.of("prune", m.toString(), "--target", "params=0.2", "--calibration", "300", "--retrain-epochs", "0",
        "--limit", "1000", "--out", dir.resolve("t.onnx").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("report").get("weights_kept").asDouble()).isLessThanOrEqualTo(0.2 + 1e-3);
    JsonNode layers = j.get("report").get("layers");
    // LeNet-300-100: ip1 holds 89% of the weights and is the most tolerant; the 10-unit output
    // layer is the most sensitive. The allocation prunes ip1 hardest.
    double ip1 = layers.get(0).get("weights_kept").asDouble();
    double ip3 = layers.get(2).get("weights_kept").asDouble();
    assertThat(ip1).isLessThan(ip3);
    CliRun none = CliRun.of("compress", "resnet-20", "--method", "deep-compression", "--out", dir.resolve("x.cdz").toString());
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("--target size=F").contains("--sparsity");
    CliRun size = CliRun.of("prune", "lenet-5", "--target", "size=0.1", "--out", dir.resolve("y.onnx").toString());
    assertThat(size.status()).isEqualTo(2);
    assertThat(size.err()).contains("params=F").contains("deep-compression");
  }

  @Test
  void compressToAMultiplyAddTargetStopsAtTheLastRoundWithinTheDropOnHeldOutData() throws Exception {
    Path m = trained();
    Path out = dir.resolve("c.onnx");
    // Without retraining, a tenth of LeNet-300-100's multiply-adds costs far more than 0.1 points.
    CliRun r = CliRun.of("compress", m.toString(), "--target", "macs=0.1", "--max-drop", "0.1", "--rounds", "3",
        "--retrain-epochs", "0", "--align", "1", "--validation", "300", "--limit", "2000", "--out", out.toString(),
        "--report", dir.resolve("c.md").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out() + r.err()).contains("validation: ").contains("300 held out").contains("more than the max drop")
        .contains("is undone");
    JsonNode j = new ObjectMapper().readTree(dir.resolve("c.json").toFile());
    JsonNode s = j.get("structure");
    assertThat(s.get("macs_after").asDouble() / s.get("macs_before").asDouble()).as("the target was not reached")
        .isGreaterThan(0.1);
    for (String plot : new String[] {"c-plan.png", "c-rounds.png"}) { // the plan and top-1 on the way, as PNG
      byte[] png = Files.readAllBytes(dir.resolve(plot));
      assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).as(plot).isEqualTo("PNG");
      assertThat(png.length).as(plot).isGreaterThan(2000);
    }
    CliRun bad = CliRun.of("compress", m.toString(), "--target", "macs=0.5", "--max-drop", "-1", "--out", out.toString());
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--max-drop");
    CliRun dc = CliRun.of("compress", m.toString(), "--target", "size=0.05", "--max-drop", "1", "--out", dir.resolve("d.cdz").toString());
    assertThat(dc.status()).isEqualTo(2);
    assertThat(dc.err()).contains("--max-drop goes with a macs, params or latency --target");
  }

  @Test
  void sensitivityWritesCsvJsonAndPng() throws Exception {
    Path m = trained();
    Path prefix = dir.resolve("sens");
    CliRun r = CliRun.of("sensitivity", m.toString(), "--limit", "500", "--sparsities", "0,0.5,0.95", "--out", prefix.toString());
    assertThat(r.status()).as(r.err()).isZero();
    String csv = Files.readString(Path.of(prefix + ".csv"));
    assertThat(csv.lines()).hasSize(4);
    assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("sparsity,ip1,ip2,ip3");
    byte[] png = Files.readAllBytes(Path.of(prefix + ".png"));
    assertThat(png[1]).isEqualTo((byte) 'P');
    JsonNode j = new ObjectMapper().readTree(Files.readString(Path.of(prefix + ".json")));
    double[] ip1 = new ObjectMapper().convertValue(j.get("top1").get("ip1"), double[].class);
    assertThat(ip1[0]).isCloseTo(j.get("baseline_top1").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ip1[2]).isLessThan(ip1[0]);
  }

  @Test
  void nonsenseOptionsAreUsageErrors() {
    String out = dir.resolve("x.onnx").toString();
    assertThat(CliRun.of("prune", "lenet-5", "--out", out).status()).isEqualTo(2);
    assertThat(CliRun.of("prune", "lenet-5", "--sparsity", "1.5", "--out", out).err()).contains("--sparsity");
    assertThat(CliRun.of("prune", "lenet-5", "--sparsity", "ip1=x", "--out", out).status()).isEqualTo(2);
    assertThat(CliRun.of("prune", "lenet-5", "--sparsity", "0.5", "--quality", "1", "--out", out).status()).isEqualTo(2);
    CliRun unknown = CliRun.of("prune", "lenet-5", "--sparsity", "fc7=0.5", "--limit", "100", "--out", out);
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("no prunable layer named 'fc7'");
    CliRun recipeDistill = CliRun.of("compress", "lenet-5", "--recipe", dir.resolve("r.yaml").toString(), "--distill",
        "--out", out);
    assertThat(recipeDistill.status()).isEqualTo(2);
    assertThat(recipeDistill.err()).contains("--distill goes with --method");
    CliRun both = CliRun.of("compress", "lenet-5", "--recipe", "r.yaml", "--method", "deep-compression", "--out", out);
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err().strip()).startsWith("condense compress: --recipe=FILE, --method=M are mutually exclusive");
    assertThat(CliRun.of("compress", "lenet-5", "--out", out).err()).contains("give --recipe FILE, --method M or --target");
    for (String[] bad : new String[][] {{"--distill", "--distill-temperature", "0"}, {"--distill", "--distill-alpha", "2"},
        {"--distill-alpha", "0.5"}, {"--distill", "--distill-temperature", "x"}}) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("prune", "lenet-5", "--sparsity", "0.5",
          "--out", out));
      args.addAll(java.util.List.of(bad));
      CliRun d = CliRun.of(args.toArray(String[]::new));
      assertThat(d.status()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(d.err()).as(String.join(" ", bad)).contains("--distill");
    }
  }

  @Test
  void retrainingWithDistillationSaysSoAndKeepsTheMask() throws Exception {
    Path m = trained();
    Path out = dir.resolve("kd.onnx");
    CliRun r = CliRun.of("prune", m.toString(), "--limit", "1000", "--sparsity", "0.9", "--retrain-epochs", "1",
        "--distill", "--distill-temperature", "3", "--out", out.toString(), "--threads", "2");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("distilling from the reference model (T 3.0, alpha 0.9)");
    JsonNode in = new ObjectMapper().readTree(CliRun.of("info", out.toString(), "--json").out());
    assertThat(in.get("nonzeros").asLong()).isLessThanOrEqualTo(in.get("params").asLong() / 9);
  }
}
