package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.zoo.Zoo;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One {@link Pipeline} runs any number of models independently: each run has its own context
 * (reference counts, rounds, learning-rate inheritance, seeds), so a second run equals a run of a
 * fresh pipeline — stages, rounds and the model bit for bit.
 */
class PipelineRunsTest {
  static final DataSplit DATA = DataSources.resolve("mnist", 300);
  static final Engine ENGINE = new CpuEngine(1);

  static final Recipe LENET5 = RecipeReader.parse("""
      steps:
        - train: {epochs: 1, lr: 0.05, batch: 32}
        - prune-filters: {ratio: 0.5, retrain: {epochs: 1, batch: 32}}
      """, "lenet-5.yaml");
  static final Recipe LENET300 = RecipeReader.parse("""
      steps:
        - train: {epochs: 1, lr: 0.05, batch: 32}
        - iterative-prune: {rounds: 2, sparsity: 0.8, retrain: {epochs: 1, batch: 32}}
      """, "lenet-300-100.yaml");

  static Pipeline pipeline() {
    return new Pipeline(ENGINE, DATA, 1, Progress.NONE, line -> { });
  }

  @Test
  void aSecondRunEqualsAFreshOne() {
    Model lenet5 = Zoo.create("lenet-5", 1);
    Model lenet300 = Zoo.create("lenet-300-100", 1);
    Pipeline shared = pipeline();
    Pipeline.Result first = shared.run(lenet5, LENET5.steps());
    Pipeline.Result second = shared.run(lenet300, LENET300.steps());
    Pipeline.Result fresh = pipeline().run(lenet300, LENET300.steps());
    Pipeline.Result freshFirst = pipeline().run(lenet5, LENET5.steps());

    assertThat(first.rounds()).as("prune-filters records its round").hasSize(1);
    assertSame(second, fresh);
    assertSame(first, freshFirst);
    assertThat(second.stages().get(0).weightsTotal()).as("densities against LeNet-300-100's own weights")
        .isEqualTo(266_200);
    assertThat(second.rounds()).as("no rounds carried over from the LeNet-5 run").isEmpty();
  }

  static List<Object> eval(Evaluation e) {
    return List.of(e.samples(), e.loss(), e.top1(), e.top5(), Arrays.toString(e.predictions()));
  }

  static void assertSame(Pipeline.Result a, Pipeline.Result b) {
    assertThat(a.stages()).hasSameSizeAs(b.stages());
    for (int i = 0; i < a.stages().size(); i++) {
      Stage x = a.stages().get(i);
      Stage y = b.stages().get(i);
      assertThat(List.of(x.step(), x.detail(), eval(x.test()), x.weightsKept(), x.weightsTotal(), x.params()))
          .as("stage %d", i).isEqualTo(List.of(y.step(), y.detail(), eval(y.test()), y.weightsKept(), y.weightsTotal(), y.params()));
    }
    assertThat(a.rounds()).isEqualTo(b.rounds());
    assertThat(a.referenceStage()).isEqualTo(b.referenceStage());
    assertThat(a.kinds()).isEqualTo(b.kinds());
    assertThat(a.model().graph().initializers()).as("the models, bit for bit").isEqualTo(b.model().graph().initializers());
  }
}
