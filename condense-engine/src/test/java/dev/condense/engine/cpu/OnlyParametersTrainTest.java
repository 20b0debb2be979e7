package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.engine.Constraints;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.ParameterChoice;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.ops.TrainingGraphs;
import org.junit.jupiter.api.Test;

/**
 * Training updates parameters only (the op table's TrainableTensors rule): a preprocessing
 * prefix, a scalar and an attention mask come out bit-identical, while layers, a class token
 * and a position embedding move; {@link ParameterChoice} overrides the rule both ways.
 */
class OnlyParametersTrainTest {
  private static final TrainConfig ONE = new TrainConfig(1, 8, 0.05, 0.9, 5e-4, new LrSchedule.Constant(), 3);

  private static Model trained(Model m, TrainConfig cfg) {
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(m)) {
      s.train(TrainingGraphs.images(32, 5), cfg, Constraints.NONE, null, Progress.NONE);
      return s.export();
    }
  }

  private static float[] w(Model m, String name) {
    return m.graph().initializer(name).floats();
  }

  @Test
  void aPreprocessingPrefixStaysBitIdenticalWhileTheConvTrains() {
    Model m = TrainingGraphs.preprocessedCnn(1);
    Model t = trained(m, ONE);
    for (String frozen : new String[] {"pre.scale", "pre.offset", "half"}) {
      assertThat(w(t, frozen)).as(frozen).containsExactly(w(m, frozen));
    }
    assertThat(w(t, "pre.scale")[0]).isEqualTo(0.353f);
    for (String trains : new String[] {"conv1.weight", "conv1.bias", "fc.weight", "fc.bias"}) {
      assertThat(w(t, trains)).as(trains).isNotEqualTo(w(m, trains));
    }
  }

  @Test
  void aVitTrainsItsClassTokenAndPositionEmbeddingNotItsMask() {
    Model m = TrainingGraphs.vitLike(1);
    Model t = trained(m, ONE.withBatchSize(1));
    for (String frozen : new String[] {"pre.scale", "sqrt_d", "attn.mask"}) {
      assertThat(w(t, frozen)).as(frozen).containsExactly(w(m, frozen));
    }
    for (String trains : new String[] {"patch.weight", "cls_token", "pos_embedding", "attn.score", "head.weight"}) {
      assertThat(w(t, trains)).as(trains).isNotEqualTo(w(m, trains));
    }
  }

  @Test
  void overridesTrainAFrozenConstantAndFreezeALayerByPattern() {
    Model m = TrainingGraphs.preprocessedCnn(1);
    Model t = trained(m, ONE.withParameters(ParameterChoice.parse("pre.*", "conv1.*")));
    assertThat(w(t, "pre.scale")).isNotEqualTo(w(m, "pre.scale"));
    assertThat(w(t, "pre.offset")).isNotEqualTo(w(m, "pre.offset"));
    assertThat(w(t, "conv1.weight")).containsExactly(w(m, "conv1.weight"));
    assertThat(w(t, "conv1.bias")).containsExactly(w(m, "conv1.bias"));
    assertThat(w(t, "half")).containsExactly(w(m, "half"));
    assertThat(w(t, "fc.weight")).isNotEqualTo(w(m, "fc.weight"));
  }

  @Test
  void aPatternThatMatchesNothingIsRefusedNamingIt() {
    Model m = TrainingGraphs.preprocessedCnn(1);
    assertThatThrownBy(() -> trained(m, ONE.withParameters(ParameterChoice.parse(null, "conv9.*"))))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("frozen pattern 'conv9.*' matches no float initializer of the model (they are: ");
    assertThatThrownBy(() -> trained(m, ONE.withParameters(ParameterChoice.parse("conv1.*", "conv1.bias"))))
        .isInstanceOf(CondenseException.class)
        .hasMessageContaining("'conv1.bias' is matched both by the trainable patterns");
  }
}
