package dev.condense.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.PerLayer;
import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.format.CdzFile;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.graph.Tensor;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.PruningCriterion;
import dev.condense.quant.Codebook;
import dev.condense.quant.KMeans1D;
import dev.condense.zoo.Zoo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A .cdz file run by the pure-Java runtime predicts what the engine predicts. */
class CdzRuntimeTest {
  static final DataSplit DATA = DataSources.builtInMnist();

  static Model compressed(String zoo) {
    Model m = Zoo.create(zoo, 1);
    try (Engine e = new CpuEngine(2); Session s = e.open(m)) {
      s.train(DATA.train().head(3000), dev.condense.engine.TrainConfig.defaults().withEpochs(1).withLr(0.02),
          dev.condense.engine.Constraints.NONE, null, Progress.NONE);
      m = s.export();
    }
    m = MagnitudePruner.prune(m, new PruningCriterion.Sparsity(PerLayer.all(0.9)), null).apply(m);
    Map<String, Tensor> init = new LinkedHashMap<>(m.graph().initializers());
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      init.put(w.weight(), Tensor.of(Codebook.fit(init.get(w.weight()).floats(), 31, KMeans1D.Init.LINEAR, 1).decode(), w.shape()));
    }
    return m.withGraph(m.graph().withInitializers(init));
  }

  @Test
  void samePredictionsAsTheEngine(@TempDir Path dir) {
    for (String zoo : new String[] {"lenet-300-100", "lenet-5"}) {
      Model m = compressed(zoo);
      Path f = dir.resolve(zoo + ".cdz");
      CdzFile.write(m, f, CdzFile.Options.defaults());
      Evaluation engine;
      try (Engine e = new CpuEngine(2); Session s = e.open(m)) {
        engine = s.evaluate(DATA.test(), 100, Progress.NONE);
      }
      for (int batch : new int[] {1, 64}) {
        Evaluation rt;
        try (CdzRuntime r = CdzRuntime.open(f, 2)) {
          rt = r.evaluate(DATA.test().head(batch == 1 ? 300 : 2000), batch, Progress.NONE);
        }
        int same = 0;
        for (int i = 0; i < rt.samples(); i++) {
          same += rt.predictions()[i] == engine.predictions()[i] ? 1 : 0;
        }
        assertThat((double) same / rt.samples()).as(zoo + " batch " + batch).isGreaterThanOrEqualTo(0.999);
      }
      assertThat(engine.top1()).as("a model that learned something").isGreaterThan(0.5);
    }
  }
}
