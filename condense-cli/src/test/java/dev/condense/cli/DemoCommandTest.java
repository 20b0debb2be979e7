package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.condense.pipeline.RecipeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** condense demo runs the shipped Deep Compression recipe, packed into the jar, end to end. */
class DemoCommandTest {
  @TempDir
  Path dir;

  @Test
  void thePackedRecipeIsTheShippedOne() throws Exception {
    assertThat(DemoCommand.recipe()).isEqualTo(RecipeReader.read(Path.of("../recipes", DemoCommand.RECIPE)));
  }

  @Test
  void demoWritesAHuffmanCodedFileItReadsBack() throws Exception {
    CliRun r = CliRun.of("demo", "--epochs", "2", "--out", dir.toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("readback_agreement").asDouble()).isEqualTo(1.0);
    JsonNode dc = j.get("deep_compression");
    assertThat(dc.get("ratio_pqh").asDouble()).isGreaterThan(35);
    assertThat(Files.size(dir.resolve("lenet-300-100.cdz"))).isEqualTo(dc.get("cdz_bytes_pqh").asLong());
    assertThat(Files.readString(dir.resolve("report.md"))).contains("P+Q+H");
  }

  @Test
  void theTargetIsFortyTimesSmallerWithinThreeTenthsOfAPoint() {
    DemoCommand.Target t = DemoCommand.Target.DEMO;
    assertThat(t.met(95.9, 95.6, 45.4)).isTrue(); // a drop of 0.30 is 0.30000000000001137 in doubles: still met
    assertThat(t.met(96.25, 96.40, 40.0)).isTrue();
    assertThat(t.met(96.25, 95.90, 45.4)).isFalse();
    assertThat(t.met(96.25, 96.25, 39.9)).isFalse();
    assertThat(t.verdict(96.25, 96.35, 45.41)).isEqualTo(
        "Target (≥ 40× smaller, top-1 within 0.3 points): met — 45.4× smaller, +0.10 points.");
    assertThat(t.verdict(96.25, 95.85000000000001, 45.2)).isEqualTo(
        "Target (≥ 40× smaller, top-1 within 0.3 points): NOT met — 45.2× smaller, -0.40 points.");
  }
}
