package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import org.junit.jupiter.api.Test;

/** The quantize-int8 step's quantization-aware training fields: defaults, the training mapping, bounds. */
class QatStepTest {

  private static Step.QuantizeInt8 step(String body) {
    return (Step.QuantizeInt8) RecipeReader.parse("name: t\ndescription: t\nsteps:\n  - quantize-int8: " + body + "\n", "t.yaml")
        .steps().get(0);
  }

  @Test
  void noQatByDefaultAndTheTrainingFieldsOtherwise() {
    assertThat(step("{}").qat().epochs()).isZero();
    assertThat(step("{}").detail()).doesNotContain("QAT");
    Step.QuantizeInt8 s = step("{qat-epochs: 2, qat: {lr: 0.002, batch: 32, distill: {alpha: 0.5}}}");
    assertThat(s.qat().epochs()).isEqualTo(2);
    assertThat(s.qat().lr()).isEqualTo(0.002);
    assertThat(s.qat().base().batchSize()).isEqualTo(32);
    assertThat(s.qat().distill()).isEqualTo(new TrainSettings.Distill(TrainSettings.Distill.TEMPERATURE, 0.5));
    assertThat(s.detail()).endsWith(", 2 QAT epochs");
    assertThat(step("{qat-epochs: 1}").qat().lr()).as("inherited: a tenth of the last training's").isNull();
    assertThat(new Step.QuantizeInt8("minmax", 512, DType.UINT8)).isEqualTo(step("{}"));
  }

  @Test
  void badFieldsNameTheStepAndField() {
    assertThatThrownBy(() -> step("{qat-epochs: -1}")).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("recipe t.yaml: ").hasMessageContaining("qat-epochs");
    assertThatThrownBy(() -> step("{qat-epochs: 10001}")).isInstanceOf(CondenseException.class)
        .hasMessageContaining("qat-epochs");
    assertThatThrownBy(() -> step("{qat: {epochs: 3}}")).isInstanceOf(CondenseException.class)
        .hasMessageContaining("qat: ").hasMessageContaining("epochs");
    assertThatThrownBy(() -> step("{qat: 3}")).isInstanceOf(CondenseException.class)
        .hasMessageContaining("field 'qat' must be a mapping");
    assertThatThrownBy(() -> step("{qat: {lr: 20}}")).isInstanceOf(CondenseException.class).hasMessageContaining("lr");
  }
}
