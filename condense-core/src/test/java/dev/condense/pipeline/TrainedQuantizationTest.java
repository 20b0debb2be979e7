package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.PerLayer;
import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.prune.Masks;
import dev.condense.prune.PruningCriterion;
import dev.condense.quant.Codebook;
import dev.condense.quant.KMeans1D;
import dev.condense.zoo.Zoo;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Deep Compression §3 on LeNet-300-100: shared weights stay shared, zeros stay zero, centroids learn. */
class TrainedQuantizationTest {
  static final CpuEngine ENGINE = new CpuEngine(2);
  static final DataSplit DATA = DataSources.resolve("mnist", 2000);

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  static TrainSettings epochs(int n, double lr) {
    return new TrainSettings(n, lr, 64, 0.9, 5e-4, new LrSchedule.Constant(), TrainSettings.Freeze.NONE);
  }

  @Test
  void quantizeAndFineTuneCentroids() {
    Pipeline p = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { });
    Pipeline.Result pruned = p.run(Zoo.create("lenet-300-100", 1), List.of(new Step.Train(epochs(2, 0.05)),
        new Step.Prune(new PruningCriterion.Sparsity(PerLayer.all(0.9)))));
    Model before = pruned.model();
    Pipeline.Result q = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { }).run(before,
        List.of(new Step.Quantize(Map.of("ip3", 6), 8, 4, KMeans1D.Init.LINEAR, epochs(1, 0.0005))));
    Model after = q.model();
    assertThat(q.referenceStage()).as("a quantize-only recipe is judged against its input").isZero();
    assertThat(q.reference()).isSameAs(before);
    Masks m0 = Masks.fromZeros(before);
    Masks m1 = Masks.fromZeros(after);
    for (PrunableWeight w : PrunableWeight.of(after.graph())) {
      float[] d = after.graph().initializer(w.weight()).floats();
      Set<Float> distinct = new HashSet<>();
      for (float v : d) {
        if (v != 0f) {
          distinct.add(v);
        }
      }
      int bits = w.layer().equals("ip3") ? 6 : 4;
      assertThat(distinct.size()).as(w.layer()).isLessThanOrEqualTo((1 << bits) - 1).isGreaterThan(1);
      assertThat(m1.get(w.weight())).as("zeros stay zeros").containsExactly(m0.get(w.weight()));
      float[] kmeans = Codebook.fit(before.graph().initializer(w.weight()).floats(), (1 << bits) - 1,
          KMeans1D.Init.LINEAR, 1).decode();
      assertThat(java.util.Arrays.equals(kmeans, d)).as(w.layer() + " centroids moved in fine-tuning").isFalse();
    }
    assertThat(q.stages().get(1).test().top1()).isGreaterThan(pruned.stages().get(2).test().top1() - 0.03);
  }
}
