package dev.condense.engine.cpu;

import dev.condense.engine.blas.NativeEngines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Constraint;
import dev.condense.engine.Constraints;
import dev.condense.engine.Evaluation;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Scorer;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.zoo.Zoo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The session contract: determinism, constraints on every step, capture, divergence. */
class SessionTest {
  static final dev.condense.engine.cpu.CpuEngine ENGINE = NativeEngines.create(2);
  static final DataSplit DATA = DataSources.resolve("mnist", 1000);
  static final TrainConfig ONE = new TrainConfig(1, 32, 0.02, 0.9, 5e-4, new LrSchedule.Constant(), 4);

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  static Model trained(Model m, TrainConfig cfg, Constraints c) {
    try (Session s = ENGINE.open(m)) {
      s.train(DATA.train(), cfg, c, null, Progress.NONE);
      return s.export();
    }
  }

  @Test
  void sameSeedSameWeightsBitForBit() {
    Model m = Zoo.create("lenet-5", 3);
    Model a = trained(m, ONE, Constraints.NONE);
    Model b = trained(m, ONE, Constraints.NONE);
    assertThat(a.graph().initializers()).isEqualTo(b.graph().initializers());
    Model c = trained(m, ONE.withSeed(5), Constraints.NONE);
    assertThat(c.graph().initializer("ip1.weight")).isNotEqualTo(a.graph().initializer("ip1.weight"));
  }

  @Test
  void maskedWeightsStayExactlyZeroAndFrozenWeightsDoNotMove() {
    Model m = Zoo.create("lenet-300-100", 1);
    float[] w = m.graph().initializer("ip1.weight").floats();
    boolean[] keep = new boolean[w.length];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = i % 3 == 0;
    }
    Constraints c = new Constraints(Map.of("ip1.weight", new Constraint.Mask(keep), "ip2.weight", new Constraint.Frozen()));
    Model t = trained(m, ONE.withEpochs(2), c);
    float[] after = t.graph().initializer("ip1.weight").floats();
    int moved = 0;
    for (int i = 0; i < after.length; i++) {
      if (!keep[i]) {
        assertThat(after[i]).isEqualTo(0f);
      } else if (after[i] != w[i]) {
        moved++;
      }
    }
    assertThat(moved).isGreaterThan(after.length / 4);
    assertThat(t.graph().initializer("ip2.weight")).isEqualTo(m.graph().initializer("ip2.weight"));
    assertThat(t.graph().initializer("ip3.weight")).isNotEqualTo(m.graph().initializer("ip3.weight"));
  }

  @Test
  void captureSeesWhatRunReturns() {
    Model m = Zoo.create("lenet-5", 1);
    float[][] first = new float[1][];
    try (Session s = ENGINE.open(m)) {
      s.capture(DATA.test().head(8), 8, List.of("pool1"), (n, values, shapes, labels) -> {
        assertThat(shapes[0]).containsExactly(8, 20, 12, 12);
        first[0] = values[0].clone();
      }, Progress.NONE);
      float[] x = new float[8 * 784];
      DATA.test().fill(null, 0, 8, x, null);
      Tensor pool1 = s.run(Map.of("input", Tensor.of(x, 8, 1, 28, 28)), List.of("pool1")).get("pool1");
      assertThat(pool1.floats()).containsExactly(first[0]);
    }
  }

  @Test
  void divergenceIsReportedNotHidden() {
    Model m = Zoo.create("lenet-5", 1);
    try (Session s = ENGINE.open(m)) {
      assertThatThrownBy(() -> s.train(DATA.train(), ONE.withLr(1e4), Constraints.NONE, null, Progress.NONE))
          .isInstanceOf(CondenseException.class).hasMessageContaining("diverged").hasMessageContaining("learning rate");
    }
  }

  @Test
  void nanLogitsScoreAsWrong() {
    Scorer sc = new Scorer(2);
    sc.add(new float[] {Float.NaN, Float.NaN, 1f, 2f}, 2, 2, new int[] {0, 1});
    Evaluation e = sc.result();
    assertThat(e.top1()).isEqualTo(0.5);
    assertThat(e.predictions()).containsExactly(-1, 1);
  }

  @Test
  void wrongInputsAreClearErrors() {
    try (Session s = ENGINE.open(Zoo.create("lenet-5", 1))) {
      assertThatThrownBy(() -> s.run(Map.of("input", Tensor.of(new float[784], 1, 784))))
          .hasMessageContaining("input 'input' expects shape");
      assertThatThrownBy(() -> s.run(Map.of("x", Tensor.of(new float[784], 1, 1, 28, 28))))
          .hasMessageContaining("missing model input 'input'");
      assertThatThrownBy(() -> s.run(Map.of("input", Tensor.of(new float[784], 1, 1, 28, 28)), List.of("nope")))
          .hasMessageContaining("no value named 'nope'");
    }
  }
}
