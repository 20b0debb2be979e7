package dev.condense.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.format.TensorEncoder;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import dev.condense.pipeline.Pipeline;
import dev.condense.prune.Masks;
import dev.condense.ops.PrunableWeight;
import dev.condense.structure.ChannelGroups;
import dev.condense.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's methods are the recipe steps' executors: without data where the method needs
 * none, and with the same result as the step in a pipeline.
 */
class TransformationsTest {
  @TempDir
  Path dir;

  @Test
  void magnitudePruningNeedsNoData() {
    Model m = Zoo.create("lenet-300-100", 1);
    Model sparse = MagnitudePruning.sparsity(0.9).apply(m);
    Masks masks = Masks.fromZeros(sparse);
    assertThat((double) masks.keptTotal() / masks.sizeTotal()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void filterPruningThinsWithoutData() {
    Model m = Zoo.create("lenet-5", 1);
    Model thin = FilterPruning.l1(0.5).apply(m);
    assertThat(ChannelGroups.of(thin).stream().filter(g -> g.name().equals("conv1")).findFirst().orElseThrow().size())
        .isEqualTo(10);
    assertThat(thin.graph().parameterCount()).isLessThan(m.graph().parameterCount());
  }

  @Test
  void weightSharingKeepsAtMostTwoToTheBitsValues() {
    Model shared = WeightSharing.kmeans(4).apply(MagnitudePruning.sparsity(0.5).apply(Zoo.create("lenet-300-100", 1)));
    for (PrunableWeight w : PrunableWeight.of(shared.graph())) {
      assertThat(dev.condense.graph.CompressionState.distinctNonZero(shared.graph().initializer(w.weight()).floats(), 15)).as(w.layer()).isNotNull();
    }
    assertThat(WeightSharing.isShared(shared)).isTrue();
  }

  @Test
  void aStepThatNeedsDataSaysSo() {
    Model m = Zoo.create("lenet-300-100", 1);
    assertThatThrownBy(() -> MagnitudePruning.sparsity(0.5).retrained(2, 1).apply(m))
        .isInstanceOf(CondenseException.class).hasMessageStartingWith("iterative-prune: ").hasMessageContaining("data");
    assertThatThrownBy(() -> FilterPruning.l1(0.5).retrained(1).apply(Zoo.create("lenet-5", 1)))
        .hasMessageStartingWith("prune-filters: ");
    assertThatThrownBy(() -> ChannelPruning.he(2).apply(Zoo.create("lenet-5", 1)))
        .hasMessageStartingWith("channel-prune: ");
  }

  @Test
  void theSameAsTheStepInAPipeline() {
    DataSplit data = Condense.data("mnist", 200);
    Engine engine = new CpuEngine(1);
    Model m = Zoo.create("lenet-5", 1);
    for (Transformation t : new Transformation[] {FilterPruning.l1(0.3), MagnitudePruning.sparsity(0.8),
        WeightSharing.kmeans(5)}) {
      Model alone = t.apply(m);
      Model inPipeline = new Pipeline(engine, data, Condense.SEED, Progress.NONE, l -> { }).run(m, t.recipe().steps())
          .model();
      assertThat(alone.graph().initializers()).as(t.toString()).isEqualTo(inPipeline.graph().initializers());
    }
  }

  @Test
  void writingChecksTheFile() throws Exception {
    Model m = WeightSharing.kmeans(5).apply(MagnitudePruning.sparsity(0.9).apply(Zoo.create("lenet-300-100", 1)));
    ModelFiles.Written cdz = Condense.write(m, dir.resolve("m.cdz"));
    assertThat(cdz.cdz()).isTrue();
    assertThat(Condense.load(dir.resolve("m.cdz")).graph().initializers()).isEqualTo(m.graph().initializers());
    ModelFiles.Written onnx = Condense.write(m, dir.resolve("m.onnx"));
    assertThat(onnx.model().graph().initializers()).as("shared weights as codebook + indices")
        .containsKey(PrunableWeight.of(m.graph()).get(0).weight() + ".codebook");
    assertThat(Files.size(dir.resolve("m.onnx"))).isLessThan(Files.size(dir.resolve("m.cdz")) * 10);
    assertThat(ModelFiles.firstDifference(m, Zoo.create("lenet-300-100", 2))).as("a difference is found")
        .startsWith("tensor ");
    OnnxWriter.write(m, dir.resolve("plain.onnx"));
  }
}
