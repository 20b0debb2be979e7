package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trim and prune-filters end to end: thinner ONNX files ONNX Runtime agrees with, and their reports. */
class StructuredCommandsTest {
  @TempDir
  Path dir;

  @Test
  void trimShrinksLeNet5sHiddenLayerAndReportsRounds() throws Exception {
    Path m = dir.resolve("l5.onnx");
    assertThat(CliRun.of("train", "lenet-5", "--limit", "1000", "--epochs", "1", "--lr", "0.05", "--out", m.toString(),
        "--quiet").status()).isZero();
    Path out = dir.resolve("trimmed.onnx");
    CliRun r = CliRun.of("trim", m.toString(), "--iterations", "2", "--samples", "500", "--retrain-epochs", "1",
        "--retrain-lr", "0.01", "--limit", "1000", "--out", out.toString(), "--report", dir.resolve("t.md").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    JsonNode s = j.get("structure");
    assertThat(s.get("rounds")).hasSizeBetween(1, 2);
    JsonNode ip1 = s.get("layers").get(2);
    assertThat(ip1.get("layer").asText()).isEqualTo("ip1");
    assertThat(ip1.get("channels_after").asInt()).isLessThan(500);
    assertThat(s.get("params_after").asLong()).isLessThan(s.get("params_before").asLong());
    assertThat(s.get("latency")).hasSize(2);
    assertThat(Files.size(out)).isLessThan(Files.size(m));
    assertThat(Files.readString(dir.resolve("t.md"))).contains("### Rounds").contains("speed-up / MACs ratio");
  }

  @Test
  void pruneFiltersThinsAResNetWithProjectionShortcuts() throws Exception {
    Path out = dir.resolve("r.onnx");
    CliRun r = CliRun.of("prune-filters", "resnet-20:shortcut=b,width=0.5", "--ratio", "0.5", "--streams", "--greedy",
        "--retrain-epochs", "1", "--retrain-lr", "0.01", "--limit", "300", "--out", out.toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    JsonNode s = j.get("structure");
    // half of every group's channels: inner groups and the three streams
    assertThat(s.get("macs_pruned").asDouble()).isGreaterThan(0.6);
    for (JsonNode l : s.get("layers")) {
      if (l.get("op").asText().equals("Conv")) {
        assertThat(l.get("channels_after").asInt()).as(l.get("layer").asText()).isEqualTo(l.get("channels_before").asInt() / 2);
      }
    }
  }

  @Test
  void aMultiplyAddTargetIsMetWithoutPerLayerRatiosAndEveryLayerKeepsItsFloor() throws Exception {
    Path out = dir.resolve("t.onnx");
    CliRun r = CliRun.of("prune-filters", "resnet-20:shortcut=b,width=0.5", "--target", "macs=0.5", "--criterion", "l2",
        "--min-keep", "0.25", "--align", "2", "--retrain-epochs", "1", "--retrain-lr", "0.01", "--limit", "300", "--out",
        out.toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
    JsonNode s = j.get("structure");
    double kept = s.get("macs_after").asDouble() / s.get("macs_before").asDouble();
    assertThat(kept).isLessThanOrEqualTo(0.5).isGreaterThan(0.4);
    for (JsonNode l : s.get("layers")) {
      if (l.get("op").asText().equals("Conv")) {
        int before = l.get("channels_before").asInt();
        int after = l.get("channels_after").asInt();
        assertThat(after).as(l.get("layer").asText()).isGreaterThanOrEqualTo(before / 4);
        assertThat(after % 2 == 0 || after == before).as(l.get("layer").asText()).isTrue();
      }
    }
  }

  @Test
  void targetOptionsAreCheckedBeforeAnyWork() {
    String out = dir.resolve("x.onnx").toString();
    CliRun both = CliRun.of("prune-filters", "lenet-5", "--ratio", "0.5", "--target", "macs=0.5", "--out", out);
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err()).contains("either --ratio").contains("--target");
    assertThat(CliRun.of("prune-filters", "lenet-5", "--out", out).status()).isEqualTo(2);
    CliRun kind = CliRun.of("prune-filters", "lenet-5", "--target", "flops=0.5", "--out", out);
    assertThat(kind.status()).isEqualTo(1);
    assertThat(kind.err().strip()).contains("--target flops=0.5").doesNotContain("\n");
    assertThat(CliRun.of("prune-filters", "lenet-5", "--target", "macs=0.5", "--criterion", "taylor2", "--out", out).err())
        .contains("--criterion must be one of l1, l2, apoz");
    assertThat(CliRun.of("prune-filters", "lenet-5", "--target", "size=0.5", "--out", out).err())
        .contains("macs, params or latency").contains("compress --target size=F");
    assertThat(Files.exists(Path.of(out))).isFalse();
  }

  @Test
  void trimSaysWhenItsThresholdCannotBeReachedAndFallsBackOrFails() throws Exception {
    Path out = dir.resolve("fb.onnx");
    // Five standard deviations above the mean: no channel of an untrained LeNet-300-100 gets there.
    CliRun r = CliRun.of("trim", "lenet-300-100", "--stds", "5", "--iterations", "1", "--samples", "200",
        "--retrain-epochs", "0", "--limit", "200", "--out", out.toString(), "--report", dir.resolve("fb.md").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out() + r.err()).contains("no channel has APoZ above mean + 5.0 std").contains("highest-APoZ channels instead");
    JsonNode layers = new ObjectMapper().readTree(dir.resolve("fb.json").toFile()).get("structure").get("layers");
    long trimmed = 0;
    for (JsonNode l : layers) {
      trimmed += l.get("channels_before").asInt() - l.get("channels_after").asInt();
    }
    assertThat(trimmed).as("a tenth of the most idle layer").isIn(10L, 30L);
    Path strict = dir.resolve("strict.onnx");
    CliRun s = CliRun.of("trim", "lenet-300-100", "--stds", "5", "--iterations", "1", "--samples", "200", "--strict",
        "--retrain-epochs", "0", "--limit", "200", "--out", strict.toString());
    assertThat(s.status()).isEqualTo(1);
    assertThat(s.err().strip()).contains("no channel has APoZ above").contains("--strict").doesNotContain("\n");
    assertThat(Files.exists(strict)).isFalse();
  }

  @Test
  void filterSensitivityCoversEveryConvLayerOfAResNetsBlocks() throws Exception {
    Path prefix = dir.resolve("fs");
    CliRun r = CliRun.of("sensitivity", "resnet-20:width=0.5", "--filters", "--sparsities", "0,0.5,0.9", "--limit", "200",
        "--out", prefix.toString(), "--quiet");
    assertThat(r.status()).as(r.err()).isZero();
    var lines = Files.readAllLines(Path.of(prefix + ".csv"));
    // the first layer of each of the 9 blocks (option A: the streams are pinned)
    assertThat(lines.get(0).split(",")).hasSize(10).startsWith("filters_pruned", "layer1.0.conv1");
    assertThat(lines).hasSize(4);
    JsonNode j = new ObjectMapper().readTree(Files.readString(Path.of(prefix + ".json")));
    assertThat(j.get("top1").get("layer1.0.conv1").get(0).asDouble()).isEqualTo(j.get("baseline_top1").asDouble());
    assertThat(Files.readAllBytes(Path.of(prefix + ".png"))[1]).isEqualTo((byte) 'P');
  }

  @Test
  void badOptionsAreOneLineErrors() {
    String out = dir.resolve("x.onnx").toString();
    CliRun unknown = CliRun.of("prune-filters", "resnet-20", "--ratio", "conv99=0.5", "--limit", "100", "--out", out);
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err().strip()).contains("no layer named 'conv99'").doesNotContain("\n");
    assertThat(CliRun.of("prune-filters", "resnet-20", "--ratio", "1.5", "--out", out).status()).isEqualTo(2);
    CliRun stream = CliRun.of("prune-filters", "resnet-20:shortcut=b", "--ratio", "layer1.0.conv2=0.5", "--limit", "100", "--out", out);
    assertThat(stream.err()).contains("residual stream").contains("--streams");
    assertThat(CliRun.of("trim", "lenet-5", "--iterations", "0", "--out", out).status()).isEqualTo(2);
    assertThat(CliRun.of("trim", "lenet-5", "--layers", "ip7", "--limit", "100", "--out", out).err()).contains("'ip7'");
    assertThat(Files.exists(Path.of(out))).isFalse();
  }
}
