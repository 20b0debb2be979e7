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
    assertThat(step("{max-drop: 0.3}")).isEqualTo(new Step.QuantizeInt8("minmax", 512, DType.UINT8, 0.003, TrainSettings.defaults().withEpochs(0)));
    assertThat(step("{max-drop: 0.3}").detail()).endsWith(", max drop 0.30 points");
  }

  @Test
  void badFieldsAreOneLineNamingTheRecipe() {
    assertThatThrownBy(() -> step("{calibrate: kl}")).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("recipe t.yaml: ").hasMessageContaining("field 'calibrate' must be minmax")
        .hasMessageContaining("got 'kl'");
    assertThatThrownBy(() -> step("{calibration: 0}")).isInstanceOf(CondenseException.class)
        .hasMessageContaining("calibration");
    assertThatThrownBy(() -> step("{max-drop: 101}")).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("recipe t.yaml: ").hasMessageContaining("max-drop");
    assertThatThrownBy(() -> step("{max-drop: -1}")).isInstanceOf(CondenseException.class).hasMessageContaining("max-drop");
    assertThatThrownBy(() -> step("{bits: 4}")).isInstanceOf(CondenseException.class).hasMessageContaining("bits");
  }

  @Test
  void aMaxDropKeepsTheCostliestLayersFloatOnAValidationSetItHoldsOut() {
    // ranges clipped at the median of |x| cost accuracy, so that some layer must stay float
    Recipe r = RecipeReader.parse("""
        steps:
          - train: {epochs: 1, lr: 0.05, batch: 32}
          - quantize-int8: {calibrate: percentile=50, calibration: 64, max-drop: 5}
        """, "mixed.yaml");
    java.util.List<String> log = new java.util.ArrayList<>();
    try (dev.condense.engine.cpu.CpuEngine e = new dev.condense.engine.cpu.CpuEngine(1)) {
      Pipeline p = new Pipeline(e, dev.condense.data.DataSources.resolve("mnist", 600), 1,
          dev.condense.engine.Progress.NONE, log::add);
      dev.condense.graph.Graph g = p.run(dev.condense.zoo.Zoo.create("lenet-5", 1), r.steps()).model().graph();
      assertThat(log).anyMatch(l -> l.contains("INT8: validation: ") && l.contains("60 held out"));
      assertThat(log).anyMatch(l -> l.contains("sensitivity (validation top-1 on 60 held-out training samples"));
      java.util.List<String> kept = log.stream().filter(l -> l.contains(" stays float: ")).map(l -> l.strip().split(" ")[0])
          .toList();
      assertThat(kept).isNotEmpty();
      for (String layer : java.util.List.of("conv1", "conv2", "ip1", "ip2")) {
        assertThat(g.initializer(layer + ".weight") != null).as(layer + " float").isEqualTo(kept.contains(layer));
        dev.condense.graph.Node dq = g.producer(g.node(layer).input(1)); // an int8 weight's Dequantize
        boolean int8 = dq != null && g.initializer(dq.input(0)).dtype() == DType.INT8;
        assertThat(int8).as(layer + " int8").isEqualTo(!kept.contains(layer));
      }
    }
  }

  @Test
  void theCommittedRecipeReads() {
    Recipe r = RecipeReader.read(Path.of("../recipes/int8-ptq-lenet-5-fashion-mnist.yaml"));
    assertThat(r.steps()).hasSize(2).last().isEqualTo(new Step.QuantizeInt8("minmax", 512, DType.UINT8));
  }
}
