package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.api.Transformation;
import dev.condense.data.DataSplit;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.ops.TrainingGraphs;
import org.junit.jupiter.api.Test;

/** A recipe's 'trainable'/'frozen' fields and the library's overrides reach every training of the run. */
class RecipeParametersTest {
  private static final DataSplit DATA = new DataSplit(TrainingGraphs.images(24, 7), TrainingGraphs.images(8, 8));
  private static final String TRAIN = "steps:\n  - train: {epochs: 1, lr: 0.05, batch: 8}\n";

  private static Model run(Transformation t, Model m) {
    try (CpuEngine engine = new CpuEngine(1)) {
      return t.apply(m, engine, DATA);
    }
  }

  private static float[] w(Model m, String name) {
    return m.graph().initializer(name).floats();
  }

  @Test
  void recipeFieldsOverrideTheRule() {
    Recipe r = RecipeReader.parse("name: t\ntrainable: pre.scale\nfrozen: ['conv1.*']\n" + TRAIN, "t.yaml");
    Model m = TrainingGraphs.preprocessedCnn(2);
    Model t = run(() -> r, m);
    assertThat(w(t, "pre.scale")).isNotEqualTo(w(m, "pre.scale"));
    assertThat(w(t, "pre.offset")).containsExactly(w(m, "pre.offset"));
    assertThat(w(t, "conv1.weight")).containsExactly(w(m, "conv1.weight"));
    assertThat(w(t, "fc.weight")).isNotEqualTo(w(m, "fc.weight"));
  }

  @Test
  void theLibraryOverridesTheSameWay() {
    Recipe r = RecipeReader.parse("name: t\n" + TRAIN, "t.yaml");
    Model m = TrainingGraphs.preprocessedCnn(2);
    Transformation plain = () -> r;
    Model dflt = run(plain, m);
    assertThat(w(dflt, "pre.scale")).containsExactly(w(m, "pre.scale"));
    Model t = run(plain.trainable("pre.*").frozen("fc.bias"), m);
    assertThat(w(t, "pre.scale")).isNotEqualTo(w(m, "pre.scale"));
    assertThat(w(t, "fc.bias")).containsExactly(w(m, "fc.bias"));
  }

  @Test
  void aPatternMatchingNothingIsRefusedBeforeAnyStep() {
    Recipe r = RecipeReader.parse("name: t\nfrozen: conv9.*\n" + TRAIN, "t.yaml");
    assertThatThrownBy(() -> run(() -> r, TrainingGraphs.preprocessedCnn(2)))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("frozen pattern 'conv9.*' matches no float initializer of the model");
    assertThatThrownBy(() -> RecipeReader.parse("name: t\nfrozen: {a: 1}\n" + TRAIN, "t.yaml"))
        .isInstanceOf(CondenseException.class)
        .hasMessage("recipe t.yaml: field 'frozen' must be a list of initializer names or patterns, got ''");
  }
}
