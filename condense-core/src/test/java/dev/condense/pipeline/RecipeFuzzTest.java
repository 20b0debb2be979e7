package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.condense.CondenseException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the recipe reader: whatever the text (the bytes as UTF-8, at most a recipe's
 * {@link RecipeReader#MAX_BYTES}), {@link RecipeReader#parse} gives a recipe or one one-line
 * {@link CondenseException} naming the recipe. Every other run replays the seeds in
 * {@code src/test/resources/dev/condense/pipeline/RecipeFuzzTestInputs}.
 */
class RecipeFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parseFailsOnlyWithOneLineErrors(byte[] data) {
    if (data.length > RecipeReader.MAX_BYTES) {
      return;
    }
    try {
      assertThat(RecipeReader.parse(new String(data, StandardCharsets.UTF_8), "fuzz.yaml")).isNotNull();
    } catch (CondenseException e) {
      assertThat(e.getMessage()).startsWith("recipe fuzz.yaml").doesNotContain("\n");
    }
  }
}
