package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --latency-table} with the real ONNX Runtime timer on LeNet-5: the table is timed and
 * written to the cache directory, a second run reads it and times nothing, and both print the
 * plan; the report gives each group's tabled latency. No wall time is asserted.
 */
class LatencyTableCommandTest {
  @TempDir
  Path dir;

  private CliRun run(Path cache, String name) {
    return CliRun.of("prune-filters", "lenet-5", "--target", "macs=0.95", "--min-keep", "0.9", "--align", "2",
        "--latency-table", "--latency-cache", cache.toString(), "--threads", "1", "--retrain-epochs", "0", "--limit", "100",
        "--no-verify", "--out", dir.resolve(name + ".onnx").toString(), "--report", dir.resolve(name + ".md").toString());
  }

  @Test
  void theTableIsWrittenThenReadBackAndThePlanPrinted() throws Exception {
    Path cache = dir.resolve("cache");
    CliRun first = run(cache, "a");
    assertThat(first.status()).as(first.err()).isZero();
    List<Path> files;
    try (Stream<Path> s = Files.list(cache)) {
      files = s.toList();
    }
    assertThat(files).singleElement().asString().contains("lenet-5").contains("onnxruntime-").contains("-t1-b1.tsv");
    List<String> lines = Files.readAllLines(files.get(0));
    assertThat(lines).hasSizeGreaterThan(2);
    assertThat(lines.get(1)).matches("[0-9.]+\tConv.*|[0-9.]+\tGemm.*");
    assertThat(first.out()).containsPattern("latency table: 3 groups, \\d+ layer shapes at batch 1: [1-9]\\d* timed, 0 from")
        .containsPattern("round 1: ip1 +500 -> +\\d+ channels");

    CliRun second = run(cache, "b");
    assertThat(second.status()).as(second.err()).isZero();
    assertThat(second.out()).containsPattern("latency table: 3 groups, (\\d+) layer shapes at batch 1: 0 timed, \\1 from the cache")
        .containsPattern("round 1: ip1 +500 -> +\\d+ channels");
    assertThat(Files.readAllLines(files.get(0))).isEqualTo(lines);

    JsonNode round = new ObjectMapper().readTree(dir.resolve("b.json").toFile()).get("structure").get("rounds").get(0);
    JsonNode table = round.get("latency_table");
    assertThat(table).hasSize(3);
    for (JsonNode g : table) {
      assertThat(g.get("tabled_ms_kept").asDouble()).as(g.toString()).isPositive();
      assertThat(g.get("kept").asInt()).isGreaterThanOrEqualTo(g.get("ranked").asInt());
      assertThat(round.get("channels").get(g.get("group").asText()).asInt()).isEqualTo(g.get("kept").asInt());
    }
    assertThat(Files.readString(dir.resolve("b.md"))).contains("### Latency table, prune-to-target round 1")
        .contains("tabled ms, kept");
  }

  @Test
  void theTableOptionsAreCheckedBeforeAnyWork() {
    String out = dir.resolve("x.onnx").toString();
    assertThat(CliRun.of("prune-filters", "lenet-5", "--target", "macs=0.5", "--latency-batch", "4", "--out", out).err())
        .contains("--latency-batch goes with --latency-table");
    assertThat(CliRun.of("prune-filters", "lenet-5", "--ratio", "0.5", "--latency-table", "--out", out).err())
        .contains("--latency-table goes with --target");
    assertThat(CliRun.of("compress", "lenet-5", "--target", "size=0.1", "--latency-table", "--out", out).err())
        .contains("--latency-table goes with a macs, params or latency --target");
    assertThat(CliRun.of("prune-filters", "lenet-5", "--target", "macs=0.5", "--latency-table", "--latency-batch", "0",
        "--out", out).err()).contains("--latency-batch");
  }
}
