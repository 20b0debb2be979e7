package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Constraint;
import dev.condense.engine.Constraints;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.numeric.JavaGemm;
import dev.condense.graph.WeightAnnotation;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.Masks;
import dev.condense.ops.PrunableWeight;
import dev.condense.prune.PruningCriterion;
import dev.condense.quant.Codebook;
import dev.condense.quant.KMeans1D;
import dev.condense.quant.WeightSharing;
import dev.condense.zoo.Zoo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A session opened on an annotated model exports annotated models: masks kept, codebooks as trained. */
class SessionAnnotationsTest {
  static final CpuEngine ENGINE = new CpuEngine(2, new JavaGemm(), false);
  static final DataSplit DATA = DataSources.resolve("mnist", 300);
  static final TrainConfig ONE = new TrainConfig(1, 32, 0.02, 0.9, 5e-4, new LrSchedule.Constant(), 4);

  static Model prunedAndShared() {
    Model m = Zoo.create("lenet-300-100", 1);
    Masks masks = MagnitudePruner.prune(m, new PruningCriterion.Sparsity(dev.condense.PerLayer.all(0.8)), null);
    m = masks.apply(m);
    Map<String, Codebook> books = new LinkedHashMap<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      books.put(w.weight(), Codebook.fit(m.graph().initializer(w.weight()).floats(), 15, KMeans1D.Init.LINEAR, 1));
    }
    return WeightSharing.apply(m, books);
  }

  @Test
  void fineTunedCentroidsAreTheExportedCodebooks() {
    Model q = prunedAndShared();
    try (Session s = ENGINE.open(q)) {
      s.train(DATA.train(), ONE, WeightSharing.constraints(q), null, Progress.NONE);
      Model out = s.export();
      for (PrunableWeight w : PrunableWeight.of(q.graph())) {
        WeightAnnotation.Codebook cb = out.annotations().codebook(w.weight());
        WeightAnnotation.Codebook before = q.annotations().codebook(w.weight());
        assertThat(cb.centroids()).as(w.weight()).isEqualTo(s.sharedTable(w.weight()));
        assertThat(cb.centroids()).isNotEqualTo(before.centroids());
        assertThat(cb.index()).isEqualTo(before.index());
        assertThat(cb.decode()).isEqualTo(out.graph().initializer(w.weight()).floats());
        assertThat(out.annotations().mask(w.weight()).keep()).isEqualTo(q.annotations().mask(w.weight()).keep());
      }
    }
  }

  @Test
  void trainingUnderMasksKeepsTheMasksButNotTheCodebooks() {
    Model q = prunedAndShared();
    try (Session s = ENGINE.open(q)) {
      s.train(DATA.train(), ONE, Masks.of(q).constraints(), null, Progress.NONE);
      Model out = s.export();
      assertThat(out.annotations().codebooks()).isEmpty();
      assertThat(out.annotations().masks().keySet()).isEqualTo(q.annotations().masks().keySet());
      // Without any constraint the pruned weights move: their masks go too.
      s.train(DATA.train(), ONE, Constraints.NONE, null, Progress.NONE);
      assertThat(s.export().annotations().masks()).isEmpty();
    }
  }

  @Test
  void setWeightsBringsTheOtherModelsAnnotations() {
    Model dense = Zoo.create("lenet-300-100", 1);
    Model pruned = MagnitudePruner.prune(dense, new PruningCriterion.Sparsity(dev.condense.PerLayer.all(0.5)), null).apply(dense);
    try (Session s = ENGINE.open(dense)) {
      assertThat(s.export().annotations().isEmpty()).isTrue();
      s.setWeights(pruned);
      assertThat(s.export().annotations().masks()).isEqualTo(pruned.annotations().masks());
      s.train(DATA.train(), ONE, new Constraints(Map.of("ip1.weight",
          new Constraint.Mask(pruned.annotations().mask("ip1.weight").keep()))), null, Progress.NONE);
      assertThat(s.export().annotations().masks().keySet()).containsExactly("ip1.weight");
    }
  }
}
