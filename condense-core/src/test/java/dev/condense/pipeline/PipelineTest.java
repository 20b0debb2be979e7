package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.PerLayer;
import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.prune.Masks;
import dev.condense.zoo.Zoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A short iterative and a gradual pruning run on the built-in digits: masks hold, stages add up. */
class PipelineTest {
  static final CpuEngine ENGINE = new CpuEngine(2);
  static final DataSplit DATA = DataSources.resolve("mnist", 2000);

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  static TrainSettings epochs(int n, Double lr) {
    return new TrainSettings(n, lr, 64, 0.9, 5e-4, new LrSchedule.Constant(), TrainSettings.Freeze.NONE);
  }

  @Test
  void trainThenIterativePruneKeepsPrunedWeightsAtZero() {
    List<String> log = new ArrayList<>();
    Pipeline p = new Pipeline(ENGINE, DATA, 1, Progress.NONE, log::add);
    Pipeline.Result r = p.run(Zoo.create("lenet-300-100", 1), List.of(
        new Step.Train(epochs(2, 0.05)),
        new Step.IterativePrune(PerLayer.only(Map.of("ip1", 0.9, "ip2", 0.8)), 2, epochs(1, null), false),
        new Step.RemoveDeadNeurons()));
    assertThat(r.stages()).hasSize(4);
    Masks m = Masks.fromZeros(r.model());
    assertThat((double) m.kept("ip1.weight") / 235_200).isLessThanOrEqualTo(0.1 + 1e-3);
    assertThat((double) m.kept("ip2.weight") / m.get("ip2.weight").length).isLessThanOrEqualTo(0.2 + 1e-3);
    double trained = r.stages().get(1).test().top1();
    assertThat(trained).isGreaterThan(0.85);
    assertThat(r.stages().get(2).test().top1()).isGreaterThan(trained - 0.03);
    assertThat(log).anyMatch(l -> l.contains("round 2/2"));
  }

  @Test
  void gradualPruningReachesItsTarget() {
    Model start = Zoo.create("lenet-300-100", 2);
    Pipeline p = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { });
    Pipeline.Result r = p.run(start, List.of(new Step.GradualPrune(PerLayer.all(0.75), epochs(3, 0.05), false)));
    Masks m = Masks.fromZeros(r.model());
    assertThat((double) m.keptTotal() / m.sizeTotal()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.002));
    assertThat(r.stages().get(1).test().top1()).isGreaterThan(0.8);
  }

  @Test
  void retrainingCanDistilFromTheModelBeforePruning() {
    Pipeline.Result trained = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { })
        .run(Zoo.create("lenet-300-100", 1), List.of(new Step.Train(epochs(2, 0.05))));
    Step prune = new Step.Prune(new dev.condense.prune.PruningCriterion.Sparsity(PerLayer.all(0.95)));
    TrainSettings plain = epochs(1, 0.01);
    Model labels = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { })
        .run(trained.model(), List.of(prune, new Step.Train(plain))).model();
    // alpha 0: the teacher is consulted but weighs nothing, so training is bit for bit the plain one.
    Model alphaZero = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { }).run(trained.model(), List.of(prune,
        new Step.Train(plain.withDistill(new TrainSettings.Distill(4, 0))))).model();
    assertThat(alphaZero.graph().initializer("ip1.weight").floats())
        .containsExactly(labels.graph().initializer("ip1.weight").floats());
    // alpha 1: the labels weigh nothing; the student still learns, from the teacher alone.
    List<String> log = new ArrayList<>();
    Pipeline.Result soft = new Pipeline(ENGINE, DATA, 1, Progress.NONE, log::add).run(trained.model(), List.of(prune,
        new Step.Train(plain.withDistill(new TrainSettings.Distill(2, 1)))));
    assertThat(log).anyMatch(l -> l.contains("distilling from the reference model"));
    assertThat(soft.model().graph().initializer("ip1.weight").floats())
        .isNotEqualTo(labels.graph().initializer("ip1.weight").floats());
    assertThat(soft.stages().get(2).test().top1()).as("retraining on soft targets recovers from the pruning")
        .isGreaterThan(soft.stages().get(1).test().top1() + 0.02).isGreaterThan(0.75);
    assertThat(Masks.fromZeros(soft.model()).keptTotal()).as("pruned weights stay zero")
        .isEqualTo(Masks.fromZeros(labels).keptTotal());
    // Before anything is compressed there is no teacher.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { })
        .run(trained.model(), List.of(new Step.Train(plain.withDistill(new TrainSettings.Distill(4, 0.9))))))
        .isInstanceOf(dev.condense.CondenseException.class).hasMessageContaining("'distill' needs a trained model");
  }

  @Test
  void aTeacherThatEndsInSoftmaxIsDistilledFromItsLogits() {
    Model trained = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { })
        .run(Zoo.create("lenet-300-100", 1), List.of(new Step.Train(epochs(1, 0.05)))).model();
    dev.condense.graph.Graph g = trained.graph();
    List<dev.condense.graph.Node> nodes = new ArrayList<>(g.nodes());
    nodes.add(new dev.condense.graph.Node("prob", "Softmax", List.of(g.outputs().get(0).name()), List.of("prob")));
    Model withSoftmax = trained.withGraph(g.withNodes(nodes)
        .withOutputs(List.of(dev.condense.graph.ValueInfo.batched("prob", 10))));
    assertThat(dev.condense.ops.OpTable.standard().logitsValue(withSoftmax.graph())).isEqualTo(g.outputs().get(0).name());
    List<Step> steps = List.of(new Step.Prune(new dev.condense.prune.PruningCriterion.Sparsity(PerLayer.all(0.9))),
        new Step.Train(epochs(1, 0.01).withDistill(new TrainSettings.Distill(4, 0.9))));
    Model a = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { }).run(trained, steps).model();
    Model b = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { }).run(withSoftmax, steps).model();
    assertThat(b.graph().initializer("ip1.weight").floats()).as("the teacher's logits, not its probabilities")
        .containsExactly(a.graph().initializer("ip1.weight").floats());
  }
}
