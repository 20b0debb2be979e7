package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.numeric.JavaGemm;
import dev.condense.format.CdzFile;
import dev.condense.graph.Model;
import dev.condense.graph.WeightAnnotation;
import dev.condense.prune.Masks;
import dev.condense.ops.PrunableWeight;
import dev.condense.quant.KMeans1D;
import dev.condense.zoo.Zoo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deep Compression's steps leave their masks and codebooks on the model, and .cdz is written from them. */
class PipelineAnnotationsTest {
  @Test
  void pruneAndQuantizeAnnotateTheModel() {
    DataSplit data = DataSources.resolve("mnist", 300);
    TrainSettings one = new TrainSettings(1, 0.01, 32, 0.9, 5e-4, new LrSchedule.Constant(), TrainSettings.Freeze.NONE);
    List<Step> steps = List.of(
        new Step.IterativePrune(dev.condense.PerLayer.all(0.8), 2, one, false),
        new Step.Quantize(Map.of(), 8, 5, KMeans1D.Init.LINEAR, one));
    Pipeline.Result r = new Pipeline(new CpuEngine(2, new JavaGemm(), false), data, 1, Progress.NONE, s -> { })
        .run(Zoo.create("lenet-300-100", 1), steps);
    Model m = r.model();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      WeightAnnotation.Mask mask = m.annotations().mask(w.weight());
      WeightAnnotation.Codebook cb = m.annotations().codebook(w.weight());
      assertThat(mask.keep()).as(w.weight()).isEqualTo(Masks.fromZeros(m).get(w.weight()));
      assertThat((double) mask.kept() / mask.size()).isBetween(0.15, 0.25);
      assertThat(cb.decode()).isEqualTo(m.graph().initializer(w.weight()).floats());
      assertThat(cb.centroids()).hasSize(31);
    }
    assertThat(CdzFile.toBytes(m, CdzFile.Options.defaults()).bytes())
        .isEqualTo(CdzFile.toBytes(m.withoutAnnotations(), CdzFile.Options.defaults()).bytes());
  }
}
