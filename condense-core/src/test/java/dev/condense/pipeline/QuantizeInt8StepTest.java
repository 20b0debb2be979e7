package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The recipe step quantize-int8: its fields, defaults and one-line errors; and the committed recipe reads. */
class QuantizeInt8StepTest {

  private static Step step(String body) {
    return RecipeReader.parse("name: t\ndescription: t\nsteps:\n  - quantize-int8: " + body + "\n", "t.yaml").steps().get(0);
  }

  @Test
  void fieldsAndDefaults() {
    assertThat(step("{}")).isEqualTo(new Step.QuantizeInt8("minmax", 512, DType.UINT8));
    assertThat(step("{calibrate: percentile=99.9, calibration: 100, int8-activations: true}"))
        .isEqualTo(new Step.QuantizeInt8("percentile=99.9", 100, DType.INT8));
    assertThat(step("{calibrate: entropy}").detail()).isEqualTo("entropy, 512 calibration images, uint8 activations");
  }

  @Test
  void badFieldsAreOneLineNamingTheRecipe() {
    assertThatThrownBy(() -> step("{calibrate: kl}")).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("recipe t.yaml: ").hasMessageContaining("field 'calibrate' must be minmax")
        .hasMessageContaining("got 'kl'");
    assertThatThrownBy(() -> step("{calibration: 0}")).isInstanceOf(CondenseException.class)
        .hasMessageContaining("calibration");
    assertThatThrownBy(() -> step("{bits: 4}")).isInstanceOf(CondenseException.class).hasMessageContaining("bits");
  }

  @Test
  void theCommittedRecipeReads() {
    Recipe r = RecipeReader.read(Path.of("../recipes/int8-ptq-lenet-5-fashion-mnist.yaml"));
    assertThat(r.steps()).hasSize(2).last().isEqualTo(new Step.QuantizeInt8("minmax", 512, DType.UINT8));
  }
}
