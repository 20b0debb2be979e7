package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.PerLayer;
import dev.condense.CondenseException;
import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.ops.OpTable;
import dev.condense.prune.Apoz;
import dev.condense.prune.FilterNorms;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.zoo.OrtReference;
import dev.condense.zoo.Zoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * APoZ, L1 filter scores and selection, and the trim / prune-filters steps end to end. Stays in
 * condense-engine: its conv nets train 3× slower on condense-core's pure-Java GEMM than on
 * OpenBLAS (30 s → 95 s on 2 cores).
 */
class StructuredPruningTest {
  static final CpuEngine ENGINE = NativeEngines.create(2);
  static final DataSplit DATA = DataSources.resolve("mnist", 1000);

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  static TrainSettings epochs(int n, Double lr) {
    return new TrainSettings(n, lr, 64, 0.9, 5e-4, new LrSchedule.Constant(), TrainSettings.Freeze.NONE);
  }

  static Model trained(String zoo, int epochs) {
    Pipeline p = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { });
    return p.run(Zoo.create(zoo, 1), List.of(new Step.Train(epochs(epochs, 0.05)))).model();
  }

  @Test
  void apozCountsZerosPerNeuronAndPerChannel() {
    Model m = trained("lenet-300-100", 1);
    List<ChannelGroup> groups = ChannelGroups.of(m);
    List<Apoz.Layer> layers = Apoz.measure(ENGINE, m, DATA.test().head(300), groups, Progress.NONE);
    assertThat(layers).extracting(Apoz.Layer::value).containsExactly("relu1", "relu2");
    // Recount from the raw activations of the same 300 images.
    float[] x = new float[300 * 784];
    DATA.test().head(300).fill(null, 0, 300, x, new int[300]);
    float[] relu1;
    try (Session s = ENGINE.open(m)) {
      relu1 = s.run(Map.of("input", Tensor.of(x, 300, 1, 28, 28)), List.of("relu1")).get("relu1").floats();
    }
    for (int n : new int[] {0, 17, 299}) {
      int zeros = 0;
      for (int b = 0; b < 300; b++) {
        zeros += relu1[b * 300 + n] == 0f ? 1 : 0;
      }
      assertThat(layers.get(0).apoz()[n]).isEqualTo(zeros / 300.0);
    }
    Apoz.Layer l = layers.get(0);
    for (int c : l.above(1)) {
      assertThat(l.apoz()[c]).isGreaterThan(l.mean() + l.std());
    }
  }

  @Test
  void filterScoresAreL1NormsAndGreedySkipsRemovedInputs() {
    Model m = Zoo.create("vgg-16:width=0.0625", 3);
    List<ChannelGroup> groups = ChannelGroups.of(m);
    ChannelGroup conv1 = groups.stream().filter(g -> g.producers().equals(List.of("conv1"))).findFirst().orElseThrow();
    ChannelGroup conv2 = groups.stream().filter(g -> g.producers().equals(List.of("conv2"))).findFirst().orElseThrow();
    float[] w2 = m.graph().initializer("conv2.weight").floats(); // [4, 4, 3, 3]
    double[] s = FilterNorms.scores(m, conv2, Map.of());
    double f1 = 0;
    for (int i = 36; i < 72; i++) {
      f1 += Math.abs(w2[i]);
    }
    assertThat(s[1]).isCloseTo(f1, org.assertj.core.data.Offset.offset(1e-6));
    Map<ChannelGroup, int[]> greedy = FilterNorms.select(m, groups, Map.of(conv1, 2, conv2, 1), true);
    int[] gone = greedy.get(conv1);
    assertThat(gone).hasSize(2);
    // conv2's filters are scored without the kernels reading conv1's removed maps
    java.util.BitSet skip = new java.util.BitSet();
    for (int c : gone) {
      skip.set(c);
    }
    double[] g = FilterNorms.scores(m, conv2, Map.of("conv2.weight", skip));
    int lowest = 0;
    for (int j = 1; j < g.length; j++) {
      lowest = g[j] < g[lowest] ? j : lowest;
    }
    assertThat(greedy.get(conv2)).containsExactly(lowest);
  }

  @Test
  void pruneFiltersThinsVggAndOnnxRuntimeAgrees() throws Exception {
    Model m = Zoo.create("vgg-16:width=0.125", 1);
    List<String> log = new ArrayList<>();
    Pipeline p = new Pipeline(ENGINE, DATA, 1, Progress.NONE, log::add);
    Pipeline.Result r = p.run(m, List.of(new Step.PruneFilters(PerLayer.of(Map.of("conv1", 0.5), 0.25), true, false, 2, 1, epochs(1, 0.01))));
    Model out = r.model();
    assertThat(out.graph().initializer("conv1.weight").shape()[0]).isEqualTo(4); // 8 → 4
    assertThat(out.graph().initializer("conv13.weight").shape()[0]).isEqualTo(48); // 64 → 48
    assertThat(out.graph().initializer("bn13.weight").shape()[0]).isEqualTo(48);
    assertThat(r.rounds()).hasSize(2);
    assertThat(r.rounds().get(1).params()).isLessThan(r.rounds().get(0).params());
    assertThat(r.rounds().get(0).params()).isLessThan(OpTable.standard().learnableParameterCount(m.graph()));
    assertEngineMatchesOnnxRuntime(out);
  }

  /** The VGG's logits ("fc2") on two test images, from the engine and from ONNX Runtime, agree. */
  private static void assertEngineMatchesOnnxRuntime(Model m) throws Exception {
    float[] x = new float[2 * 784];
    DATA.test().fill(null, 0, 2, x, new int[2]);
    float[] engine;
    try (Session s = ENGINE.open(m)) {
      engine = s.run(Map.of("input", Tensor.of(x, 2, 1, 28, 28))).get("fc2").floats();
    }
    float[] ort = OrtReference.run(m, x, new int[] {2, 1, 28, 28});
    assertThat(engine).hasSize(20).hasSameSizeAs(ort);
    for (int i = 0; i < ort.length; i++) {
      assertThat(engine[i]).isCloseTo(ort[i], org.assertj.core.data.Offset.offset(1e-3f + 1e-4f * Math.abs(ort[i])));
    }
  }

  @Test
  void trimRemovesIdleNeuronsOfTheMostIdleLayer() {
    Model m = trained("lenet-5", 1);
    List<String> log = new ArrayList<>();
    Pipeline p = new Pipeline(ENGINE, DATA, 1, Progress.NONE, log::add);
    Pipeline.Result r = p.run(m, List.of(new Step.Trim(List.of(), 1, 2, 1.0, 500, Step.Trim.FALLBACK, false, epochs(1, 0.01))));
    // LeNet-5 (Caffe) has a ReLU after ip1 only: that is the layer trimmed.
    assertThat(r.model().graph().initializer("ip1.weight").shape()[0]).isLessThan(500);
    assertThat(r.rounds()).isNotEmpty().allMatch(i -> i.step().equals("trim"));
    assertThat(log).anyMatch(l -> l.contains("ip1") && l.contains("mean APoZ"));
  }

  @Test
  void unknownOrPinnedLayersAreNamed() {
    Model m = Zoo.create("resnet-20", 1);
    Step.PruneFilters stream = new Step.PruneFilters(PerLayer.only(Map.of("layer2.0.conv2", 0.5)), false, false, 1, 1, epochs(0, 0.01));
    assertThatThrownBy(() -> StructuredPruning.filters(m, stream, null, 1)).isInstanceOf(CondenseException.class)
        .hasMessageContaining("layer2.0.conv2").hasMessageContaining("with 'layer2.0.shortcut.pad'");
    Step.PruneFilters none = new Step.PruneFilters(PerLayer.only(Map.of("conv99", 0.5)), false, false, 1, 1, epochs(0, 0.01));
    assertThatThrownBy(() -> StructuredPruning.filters(m, none, null, 1)).hasMessageContaining("no layer named 'conv99'");
    Map<ChannelGroup, int[]> inner = StructuredPruning.filters(m, new Step.PruneFilters(PerLayer.all(0.5), false, false, 1, 1, epochs(0, 0.01)), null, 1);
    assertThat(inner).hasSize(9).allSatisfy((g, c) -> assertThat(g.producers().get(0)).endsWith(".conv1"));
  }

  @Test
  void alignedFilterPruningKeepsMultiplesOfTheBlock() {
    Model m = Zoo.create("resnet-20", 1); // inner layers of 16, 32 and 64 channels
    // 40% of 16/32/64 leaves 10/20/39 channels; aligned to the nearest multiple of 8 (halves up): 8/24/40.
    Map<ChannelGroup, int[]> exact = StructuredPruning.filters(m, new Step.PruneFilters(PerLayer.all(0.4), false, false, 1, 1, epochs(0, 0.01)), null, 1);
    Map<ChannelGroup, int[]> aligned = StructuredPruning.filters(m, new Step.PruneFilters(PerLayer.all(0.4), false, false, 1, 8, epochs(0, 0.01)), null, 1);
    assertThat(exact).anySatisfy((g, c) -> assertThat((g.size() - c.length) % 8).isNotZero());
    assertThat(aligned).hasSize(9).allSatisfy((g, c) -> assertThat((g.size() - c.length) % 8).isZero());
    assertThat(aligned.entrySet()).extracting(e -> e.getKey().size() - e.getValue().length).containsOnly(8, 24, 40);
  }

  @Test
  void gapHeadReplacesTheFullyConnectedHead() throws Exception {
    Model m = Zoo.create("vgg-16:width=0.125", 1); // conv13 has 64 channels; head fc1 (64) → bn14 → relu14 → fc2 (10)
    Model gap = dev.condense.structure.GapHead.apply(m, 7);
    List<String> ops = gap.graph().nodes().stream().map(dev.condense.graph.Node::opType).toList();
    assertThat(ops).contains("GlobalAveragePool");
    assertThat(gap.graph().nodes()).noneMatch(n -> List.of("fc1", "bn14", "relu14", "fc2").contains(n.name()));
    assertThat(gap.graph().isInitializer("fc1.weight")).isFalse();
    assertThat(gap.graph().initializer("gap_head.fc.weight").shape()).containsExactly(10, 64);
    assertThat(gap.graph().outputs().get(0).name()).isEqualTo("fc2"); // the output keeps its name
    assertThat(OpTable.standard().learnableParameterCount(m.graph()) - OpTable.standard().learnableParameterCount(gap.graph()))
        .isEqualTo(64 * 64 + 64 + 2 * 64); // fc1 and bn14's scale and shift went; fc2 and the new layer are the same size
    assertEngineMatchesOnnxRuntime(gap);
    // In a pipeline the step retrains and is recorded as a structural round.
    Pipeline p = new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { });
    Pipeline.Result r = p.run(m, List.of(new Step.GapHead(epochs(1, 0.01))));
    assertThat(r.rounds()).singleElement().satisfies(it -> assertThat(it.step()).isEqualTo("gap-head"));
    assertThat(OpTable.standard().learnableParameterCount(r.model().graph())).isEqualTo(OpTable.standard().learnableParameterCount(gap.graph()));
    assertThatThrownBy(() -> dev.condense.structure.GapHead.apply(Zoo.create("lenet-300-100", 1), 7))
        .isInstanceOf(CondenseException.class).hasMessageContaining("no convolutions");
  }
}
