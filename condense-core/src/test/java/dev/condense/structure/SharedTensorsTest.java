package dev.condense.structure;

import static dev.condense.structure.ChannelGroupsTest.byProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.engine.Session;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.RandomTensor;
import dev.condense.graph.Tensor;
import dev.condense.zoo.NetBuilder;
import dev.condense.zoo.OrtReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Channel groups and thinning on graphs written the way PyTorch's exporter writes them: one
 * initializer stored once and handed to further consumers through Identity nodes or read by
 * several nodes, BatchNorm parameters reached through Identity. A tensor shared inside one group
 * is cut once, consistently; one shared across groups pins them with a reason; the thinned model
 * runs in ONNX Runtime as in the engine.
 */
class SharedTensorsTest {

  /**
   * {@code node}'s input {@code slot} reads {@code source} instead — through a new Identity node
   * (PyTorch's pattern for a deduplicated initializer) or directly — and the initializer it read
   * before is dropped if nothing else reads it.
   */
  static Model share(Model m, String node, int slot, String source, boolean viaIdentity) {
    Graph g = m.graph();
    List<Node> nodes = new ArrayList<>();
    String read = source;
    if (viaIdentity) {
      read = source + "/for/" + node;
      nodes.add(new Node("Identity:" + read, "Identity", List.of(source), List.of(read)));
    }
    for (Node n : g.nodes()) {
      if (n.name().equals(node)) {
        List<String> in = new ArrayList<>(n.inputs());
        in.set(slot, read);
        n = n.withInputs(in);
      }
      nodes.add(n);
    }
    Set<String> used = new HashSet<>();
    nodes.forEach(n -> used.addAll(n.inputs()));
    Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
    init.keySet().retainAll(used);
    return m.withGraph(g.withNodes(nodes).withInitializers(init));
  }

  /** Every initializer of {@code names} gets seeded random values in [0.5, 1.5) (BatchNorm parameters that matter). */
  static Model randomise(Model m, long seed, String... names) {
    SplittableRandom r = new SplittableRandom(seed);
    Graph g = m.graph();
    for (String n : names) {
      Tensor t = g.initializer(n);
      float[] v = RandomTensor.uniform(r, 0.5f, t.shape()).floats();
      for (int i = 0; i < v.length; i++) {
        v[i] += 1f;
      }
      g = g.withInitializer(n, Tensor.of(v, t.shape()));
    }
    return m.withGraph(g);
  }

  /** c0 (4) → Relu → c1 (4) → Relu → GAP → fc: two groups of equal width, as a pair of layers that may share a bias. */
  static Model chain() {
    NetBuilder b = new NetBuilder("chain", "input", new int[] {3, 8, 8}, 11);
    String x = b.relu("r0", b.conv("c0", "input", 4, 3, 1, 1));
    String y = b.relu("r1", b.conv("c1", x, 4, 3, 1, 1));
    return Model.of(b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", y)), 3), 3));
  }

  /**
   * A residual stream c0 + c2 (one group), a block c1 between them and a BatchNorm after c3 whose
   * four parameters are random.
   */
  static Model residual() {
    NetBuilder b = new NetBuilder("residual", "input", new int[] {3, 8, 8}, 12);
    String x = b.relu("r0", b.conv("c0", "input", 6, 3, 1, 1));
    String y = b.relu("r1", b.conv("c1", x, 5, 3, 1, 1));
    String z = b.add("res", x, b.conv("c2", y, 6, 3, 1, 1));
    String w = b.relu("r3", b.batchNorm("bn", b.conv("c3", z, 4, 3, 1, 1)));
    Model m = Model.of(b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", w)), 3), 3));
    return randomise(m, 5, "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void biasSharedAcrossGroupsPinsBothWithTheReason(boolean viaIdentity) {
    Model m = share(chain(), "c1", 2, "c0.bias", viaIdentity);
    List<ChannelGroup> groups = ChannelGroups.of(m);
    String why = "weight 'c0.bias' is shared by 'c0' and 'c1' in different groups";
    assertThat(byProducer(groups, "c0").pinned()).isEqualTo(why);
    assertThat(byProducer(groups, "c1").pinned()).isEqualTo(why);
    // Before, thinning c0 cut the one bias for both layers: c1 got a bias of the wrong size.
    assertThatThrownBy(() -> Thinning.apply(m, Map.of(byProducer(groups, "c0"), new int[] {1})))
        .isInstanceOf(CondenseException.class).hasMessageContaining(why);
  }

  @Test
  void weightSharedByTwoReadersOfOneGroupIsCutOnceForBoth() {
    // c0 and c2 make the same residual stream: one bias serves both, through Identity.
    Model m = share(residual(), "c2", 2, "c0.bias", true);
    List<ChannelGroup> groups = ChannelGroups.of(m);
    ChannelGroup stream = byProducer(groups, "c0");
    assertThat(stream.producers()).containsExactlyInAnyOrder("c0", "c2");
    assertThat(stream.prunable()).isTrue();
    assertThat(stream.slices()).filteredOn(s -> s.tensor().equals("c0.bias"))
        .containsExactly(new Slice("c0.bias", 0, 0, 1, Slice.Role.PRODUCER));
    assertThat(stream.slices()).noneMatch(s -> s.tensor().contains("/for/"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void thinnedExporterGraphsRunInOnnxRuntimeAsInTheEngine(boolean viaIdentity) throws Exception {
    Model m = residual();
    m = share(m, "c2", 2, "c0.bias", viaIdentity);
    for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
      m = share(m, "bn", List.of("weight", "bias", "running_mean", "running_var").indexOf(p) + 1, "bn." + p, true);
    }
    Model exported = m;
    Map<String, int[]> remove = Map.of("c0", new int[] {1, 4}, "c1", new int[] {0}, "c3", new int[] {2});
    ChannelGroupsTest.check(exported, null, remove); // outputs kept when the cut channels carry nothing

    List<ChannelGroup> groups = ChannelGroups.of(exported);
    Map<ChannelGroup, int[]> cut = new LinkedHashMap<>();
    remove.forEach((p, ch) -> cut.put(byProducer(groups, p), ch));
    Model thin = Thinning.apply(exported, cut);
    Graph t = thin.graph();
    // Hand-computed: the stored tensors lose exactly the cut channels; the Identity nodes stay.
    assertThat(t.initializer("c0.bias").floats()).containsExactly(keep(exported.graph().initializer("c0.bias"), 1, 4));
    assertThat(t.initializer("bn.running_var").floats())
        .containsExactly(keep(exported.graph().initializer("bn.running_var"), 2));
    assertThat(t.initializer("c2.weight").shape()).containsExactly(4, 4, 3, 3);
    assertThat(t.initializer("c3.weight").shape()).containsExactly(3, 4, 3, 3);
    assertThat(t.initializer("fc.weight").shape()).containsExactly(3, 3);
    assertThat(t.nodes().stream().filter(n -> n.opType().equals("Identity"))).hasSize(viaIdentity ? 5 : 4);

    int[] shape = {2, 3, 8, 8};
    float[] x = new float[2 * 3 * 8 * 8];
    Random r = new Random(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() * 2 - 1;
    }
    float[] ort = OrtReference.run(thin, x, shape);
    float[] engine;
    try (Session s = ChannelGroupsTest.ENGINE.open(thin)) {
      engine = s.run(Map.of("input", Tensor.of(x, shape))).get(t.outputs().get(0).name()).floats();
    }
    assertThat(engine).hasSize(6);
    for (int i = 0; i < ort.length; i++) {
      assertThat(engine[i]).isCloseTo(ort[i], org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  @Test
  void aSharedTensorThatAnotherReaderReadsWholePinsTheGroup() {
    // The input (4 columns) plus c0's bias broadcast along the width: cutting the bias for c0's
    // channels would break that Add, so c0's group is pinned.
    NetBuilder b = new NetBuilder("pre", "input", new int[] {3, 4, 4}, 13);
    String y = b.relu("r0", b.conv("c0", b.add("pre", "input", "input"), 4, 3, 1, 1));
    Model m = share(Model.of(b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", y)), 3), 3)),
        "pre", 1, "c0.bias", true);
    assertThat(byProducer(ChannelGroups.of(m), "c0").pinned())
        .isEqualTo("weight 'c0.bias' is shared by 'pre' and 'c0', and 'pre' reads it whole");
  }

  @Test
  void initializerIsFoundThroughIdentityChains() {
    Model m = share(share(chain(), "c1", 2, "c0.bias", true), "c1", 1, "c1.weight", true);
    SharedTensors s = SharedTensors.of(m);
    assertThat(s.root("c0.bias/for/c1")).isEqualTo("c0.bias");
    assertThat(s.root("c1.weight/for/c1")).isEqualTo("c1.weight");
    assertThat(s.root("r0")).isNull();
    assertThat(s.readers("c0.bias")).containsExactly("c0", "c1");
    assertThatThrownBy(() -> s.tensor("r0")).isInstanceOf(CondenseException.class)
        .hasMessage("'r0' is not a weight initializer (nor an Identity of one)");
  }

  private static float[] keep(Tensor t, int... drop) {
    float[] v = t.floats();
    float[] out = new float[v.length - drop.length];
    int k = 0;
    for (int i = 0; i < v.length; i++) {
      final int at = i;
      if (java.util.Arrays.stream(drop).noneMatch(d -> d == at)) {
        out[k++] = v[i];
      }
    }
    return out;
  }
}
