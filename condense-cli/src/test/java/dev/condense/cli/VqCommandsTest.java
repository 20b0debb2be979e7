package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vq and vq-sweep end to end: coded files that ONNX Runtime and the .cdz runtime read back the same. */
class VqCommandsTest {
  @TempDir
  static Path dir;

  static Path trained;

  @BeforeAll
  static void train() {
    trained = dir.resolve("trained.onnx");
    CliRun r = CliRun.of("train", "lenet-300-100", "--limit", "2000", "--epochs", "2", "--lr", "0.05", "--out",
        trained.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
  }

  @Test
  void columnProductQuantizationAsGatherOnnxIsSmallAndOnnxRuntimeAgrees() throws Exception {
    Path out = dir.resolve("pq.onnx");
    CliRun r = CliRun.of("vq", trained.toString(), "--method", "pq", "--width", "4", "--k", "16", "--columns",
        "--limit", "1000", "--out", out.toString(), "--report", dir.resolve("pq.md").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    // the column variant needs a Transpose after the Gather; ONNX Runtime must compute the same model
    assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    // 4-bit codes per 4 weights stored as one byte each in ONNX: about 16× smaller weights, plus codebooks
    assertThat(Files.size(out)).isLessThan(Files.size(trained) / 8);
    String md = Files.readString(dir.resolve("pq.md"));
    assertThat(md).contains("Vector quantization (Gong et al. 2014)").contains("| ip1 | PQ w=4 k=16 (columns)");
    CliRun both = CliRun.of("eval", out.toString(), "--runtime", "both", "--limit", "1000", "--json");
    assertThat(new ObjectMapper().readTree(both.out()).get("ort_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
  }

  @Test
  void residualQuantizationWithFineTuningAsCdzReadsBackTheSame() throws Exception {
    Path out = dir.resolve("rq.cdz");
    CliRun r = CliRun.of("vq", trained.toString(), "--method", "rq", "--stages", "2", "--k", "32",
        "--fine-tune-epochs", "1", "--limit", "1000", "--out", out.toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    JsonNode stages = j.get("stages");
    double tuned = stages.get(stages.size() - 1).get("top1").asDouble();
    JsonNode back = new ObjectMapper().readTree(
        CliRun.of("eval", out.toString(), "--runtime", "java", "--limit", "1000", "--json").out());
    assertThat(back.get("top1").asDouble()).isCloseTo(tuned, Offset.offset(0.002));
    // two stages of 32 whole-row codewords: the codebooks dominate (ip1's are 2 × 32 × 784 floats)
    assertThat(Files.size(out)).isLessThan(Files.size(trained) / 3);
  }

  /** The report's parts of a written .cdz (header, graph, each layer's tensors, other tensors, framing) add up to the file. */
  static void partsAddUpToTheFile(JsonNode j, Path out) throws Exception {
    long sum = 0;
    for (JsonNode p : j.get("out_parts")) {
      sum += p.get("bytes").asLong();
    }
    assertThat(sum).isEqualTo(Files.size(out)).isEqualTo(j.get("out_bytes").asLong());
  }

  @Test
  void productAndScalarQuantizedConvLayersAsCdzAccountForEveryByte() throws Exception {
    for (String method : new String[] {"pq", "kmeans"}) {
      Path out = dir.resolve("conv-" + method + ".cdz");
      Path md = dir.resolve("conv-" + method + ".md");
      CliRun r = CliRun.of("vq", "lenet-5", "--method", method, "--conv", "--limit", "300", "--out", out.toString(),
          "--report", md.toString(), "--json");
      assertThat(r.status()).as(r.err()).isZero();
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("readback_agreement").asDouble()).as(method).isGreaterThanOrEqualTo(0.999);
      partsAddUpToTheFile(j, out);
      assertThat(Files.readString(md)).contains("## The written file, part by part").contains("| conv2 | ");
    }
  }

  @Test
  void sweepWritesOnePointPerSettingAndAPlot() throws Exception {
    Path prefix = dir.resolve("sweep");
    CliRun r = CliRun.of("vq-sweep", trained.toString(), "--methods", "binary,kmeans", "--fine-tune-epochs", "0",
        "--limit", "500", "--out", prefix.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
    var lines = Files.readAllLines(Path.of(prefix + ".csv"));
    assertThat(lines.get(0)).startsWith("family,setting,paper_rate,real_rate");
    assertThat(lines).hasSize(1 + 1 + 7);
    // k=2 scalar k-means and scaled binarization both store one bit per weight: 32× in Gong's accounting
    assertThat(lines.get(1)).startsWith("binarization,binary (scaled),");
    assertThat(lines.get(2)).startsWith("k-means,k-means k=2,");
    assertThat(Double.parseDouble(lines.get(1).split(",")[2])).isCloseTo(32, Offset.offset(0.1));
    assertThat(Double.parseDouble(lines.get(2).split(",")[2])).isCloseTo(32, Offset.offset(0.1));
    double k256 = Double.parseDouble(lines.get(8).split(",")[6]);
    double k2 = Double.parseDouble(lines.get(2).split(",")[6]);
    assertThat(k256).as("more codewords, closer to the dense model").isGreaterThan(k2);
    assertThat(Files.readAllBytes(Path.of(prefix + ".png"))[1]).isEqualTo((byte) 'P');
    assertThat(Files.readString(Path.of(prefix + ".md"))).contains("## Which method wins");
  }

  @Test
  void nonsenseOptionsAreUsageErrors() {
    String out = dir.resolve("x.onnx").toString();
    CliRun bad = CliRun.of("vq", trained.toString(), "--method", "lloyd", "--out", out);
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--method");
    CliRun width = CliRun.of("vq", trained.toString(), "--method", "pq", "--width", "0", "--out", out);
    assertThat(width.status()).isEqualTo(2);
    CliRun sweep = CliRun.of("vq-sweep", trained.toString(), "--methods", "pq,opq", "--out", dir.resolve("s").toString());
    assertThat(sweep.status()).isEqualTo(2);
    assertThat(sweep.err()).contains("opq");
    assertThat(Files.exists(Path.of(out))).isFalse();
  }
}
