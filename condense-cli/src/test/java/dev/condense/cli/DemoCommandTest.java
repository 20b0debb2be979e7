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
}
