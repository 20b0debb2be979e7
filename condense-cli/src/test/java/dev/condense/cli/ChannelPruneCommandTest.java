package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** condense channel-prune end to end, and its option errors. */
class ChannelPruneCommandTest {
  @TempDir
  Path dir;

  @Test
  void thinetHalvesTheMultiplyAddsOfAResNetsBlocks() throws Exception {
    Path out = dir.resolve("r.onnx");
    CliRun r = CliRun.of("channel-prune", "resnet-20:width=0.5", "--method", "thinet", "--speedup", "1.3",
        "--images", "50", "--per-image", "4", "--retrain-epochs", "0", "--limit", "300", "--out", out.toString(),
        "--report", dir.resolve("r.md").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    JsonNode s = j.get("structure");
    double ratio = s.get("macs_before").asDouble() / s.get("macs_after").asDouble();
    assertThat(ratio).isGreaterThanOrEqualTo(1.3).isLessThan(1.45);
    // ResNet mode: the inner layer of each block is pruned, the streams are not.
    for (JsonNode l : s.get("layers")) {
      String name = l.get("layer").asText();
      if (name.endsWith(".conv1")) {
        assertThat(l.get("channels_after").asInt()).as(name).isLessThan(l.get("channels_before").asInt());
      } else if (name.endsWith(".conv2")) {
        assertThat(l.get("channels_after").asInt()).as(name).isEqualTo(l.get("channels_before").asInt());
      }
    }
    assertThat(Files.readString(dir.resolve("r.md"))).contains("ThiNet (Luo et al. 2017)");
  }

  @Test
  void badOptionsAreOneLineErrors() {
    String out = dir.resolve("x.onnx").toString();
    CliRun method = CliRun.of("channel-prune", "vgg-16", "--method", "lasso", "--keep", "0.5", "--out", out);
    assertThat(method.status()).isEqualTo(2);
    assertThat(method.err()).contains("--method must be he, thinet, l1 or random");
    CliRun both = CliRun.of("channel-prune", "vgg-16", "--method", "he", "--keep", "0.5", "--speedup", "2", "--out", out);
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err()).contains("--keep=SPEC, --speedup=X are mutually exclusive");
    assertThat(both.err().strip().lines()).as("one line, with the --help hint").hasSize(1);
    CliRun neither = CliRun.of("channel-prune", "vgg-16", "--method", "he", "--out", out);
    assertThat(neither.status()).isEqualTo(2);
    assertThat(neither.err()).contains("(--keep=SPEC | --speedup=X)");
    CliRun far = CliRun.of("channel-prune", "lenet-5", "--method", "l1", "--speedup", "50", "--limit", "100", "--out", out);
    assertThat(far.status()).isEqualTo(1);
    assertThat(far.err().strip()).contains("out of reach").contains("conv1").doesNotContain("\n");
    CliRun layer = CliRun.of("channel-prune", "lenet-5", "--method", "he", "--keep", "conv2=0.5", "--limit", "100", "--out", out);
    assertThat(layer.status()).isEqualTo(1);
    assertThat(layer.err()).contains("'conv2' is not a layer it can prune").contains("candidates: conv1");
    assertThat(Files.exists(Path.of(out))).isFalse();
  }
}
