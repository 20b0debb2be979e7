package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.zoo.NetBuilder;
import dev.condense.zoo.Zoo;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Channel groups on LeNet-5, residual, concat, BatchNorm, depthwise and PyTorch-exported graphs,
 * and thinning checked by what it must preserve: channels whose outgoing weights are zero carry
 * nothing, so cutting them out must leave the network's outputs unchanged.
 */
class ChannelGroupsTest {
  static final CpuEngine ENGINE = new CpuEngine(2);

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  static ChannelGroup byProducer(List<ChannelGroup> groups, String producer) {
    return groups.stream().filter(g -> g.producers().contains(producer)).findFirst().orElseThrow();
  }

  @Test
  void lenet5() {
    List<ChannelGroup> groups = ChannelGroups.of(Zoo.create("lenet-5", 1));
    assertThat(groups).hasSize(4);
    ChannelGroup conv1 = byProducer(groups, "conv1");
    assertThat(conv1.size()).isEqualTo(20);
    assertThat(conv1.slices()).containsExactlyInAnyOrder(new Slice("conv1.weight", 0, 0, 1, Slice.Role.PRODUCER),
        new Slice("conv1.bias", 0, 0, 1, Slice.Role.PRODUCER), new Slice("conv2.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(conv1.values()).contains("conv1", "pool1");
    ChannelGroup conv2 = byProducer(groups, "conv2");
    assertThat(conv2.slices()).contains(new Slice("ip1.weight", 1, 0, 16, Slice.Role.CONSUMER));
    assertThat(byProducer(groups, "ip1").slices()).contains(new Slice("ip2.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(byProducer(groups, "ip2").pinned()).contains("graph output");
    assertThat(groups.stream().filter(ChannelGroup::prunable)).hasSize(3);
  }

  /** A residual block with BatchNorm, a concat and a depthwise conv, ending in GAP + Gemm. */
  static Model branchy() {
    NetBuilder b = new NetBuilder("branchy", "input", new int[] {3, 8, 8}, 5);
    String x = b.relu("r0", b.batchNorm("bn0", b.conv("c0", "input", 6, 3, 1, 1)));
    String y = b.relu("r1", b.conv("c1", x, 6, 3, 1, 1));
    String z = b.add("res", x, b.conv("c2", y, 6, 3, 1, 1));
    String dw = b.conv("dw", z, 6, 3, 1, 1, true, 6);
    String cat = b.concat("cat", dw, b.conv("c3", z, 4, 1, 1, 0));
    String h = b.relu("r2", b.conv("c4", cat, 5, 3, 1, 1));
    return Model.of(b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", h)), 3), 3));
  }

  @Test
  void residualConcatBatchNormDepthwise() {
    List<ChannelGroup> groups = ChannelGroups.of(branchy());
    ChannelGroup res = byProducer(groups, "c0");
    assertThat(res.producers()).containsExactlyInAnyOrder("c0", "c2");
    assertThat(res.slices()).contains(new Slice("bn0.weight", 0, 0, 1, Slice.Role.PARAMETER), new Slice("bn0.running_var", 0, 0, 1, Slice.Role.PARAMETER),
        new Slice("c1.weight", 1, 0, 1, Slice.Role.CONSUMER), new Slice("dw.weight", 0, 0, 1, Slice.Role.PARAMETER), new Slice("c3.weight", 1, 0, 1, Slice.Role.CONSUMER),
        new Slice("c4.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(byProducer(groups, "c3").slices()).contains(new Slice("c4.weight", 1, 6, 1, Slice.Role.CONSUMER));
    assertThat(byProducer(groups, "c4").slices()).contains(new Slice("fc.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(groups).allMatch(g -> g.prunable() == !g.producers().contains("fc"));
  }

  /**
   * A PRelu with one slope per channel ([C, 1, 1], as PyTorch exports nn.PReLU(C)) after c1, and a
   * Sum of three branches (c0's, c2's and c5's) instead of a two-input Add.
   */
  static Model preluAndSum() {
    NetBuilder b = new NetBuilder("prelu-sum", "input", new int[] {3, 8, 8}, 5);
    String x = b.relu("r0", b.conv("c0", "input", 6, 3, 1, 1));
    String y = b.relu("r1", b.conv("c1", x, 6, 3, 1, 1));
    String z = b.add("res", x, b.conv("c2", y, 6, 3, 1, 1));
    String w = b.conv("c5", x, 6, 1, 1, 0);
    String h = b.relu("r2", b.conv("c4", z, 5, 3, 1, 1));
    Graph g = b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", h)), 3), 3);
    List<Node> nodes = new java.util.ArrayList<>();
    for (Node n : g.nodes()) {
      if (n.name().equals("r1")) {
        nodes.add(new Node("r1", "PRelu", List.of(n.input(0), "r1.slope"), n.outputs()));
      } else if (n.name().equals("res")) {
        nodes.add(new Node("res", "Sum", List.of(n.input(0), n.input(1), w), n.outputs()));
      } else {
        nodes.add(n);
      }
    }
    // c5 must run before the Sum: move it right after c0's Relu.
    Node c5 = nodes.stream().filter(n -> n.name().equals("c5")).findFirst().orElseThrow();
    nodes.remove(c5);
    nodes.add(nodes.indexOf(nodes.stream().filter(n -> n.name().equals("r0")).findFirst().orElseThrow()) + 1, c5);
    float[] slope = {0.05f, 0.1f, 0.15f, 0.2f, 0.25f, 0.3f};
    return Model.of(g.withNodes(nodes).withInitializer("r1.slope", Tensor.of(slope, 6, 1, 1)));
  }

  @Test
  void preluSlicesItsSlopeAndSumMergesThreeBranches() {
    List<ChannelGroup> groups = ChannelGroups.of(preluAndSum());
    assertThat(byProducer(groups, "c0").producers()).containsExactlyInAnyOrder("c0", "c2", "c5");
    assertThat(byProducer(groups, "c1").slices()).contains(new Slice("r1.slope", 0, 0, 1, Slice.Role.PARAMETER));
    assertThat(byProducer(groups, "c1").prunable()).isTrue();
    check(preluAndSum(), new int[] {3, 8, 8}, Map.of("c1", new int[] {0, 4}, "c0", new int[] {2}));
  }

  @Test
  void thinningKeepsOutputsWhenRemovedChannelsCarryNothing() {
    check(branchy(), new int[] {3, 28, 28}, Map.of("c0", new int[] {1, 4}, "c3", new int[] {0, 3}, "c4", new int[] {2}, "c1", new int[] {5}));
    check(Zoo.create("lenet-5", 2), null, Map.of("conv1", new int[] {0, 7, 19}, "conv2", new int[] {3, 4, 49}, "ip1", new int[] {10, 499}));
  }

  @Test
  void pytorchExportWithBatchNormAndReshape() throws Exception {
    // The fixture the ONNX tests made with PyTorch (working directory: this module).
    Model m = OnnxReader.load(Path.of("src/test/resources/onnx/tiny_cnn.onnx"));
    List<ChannelGroup> groups = ChannelGroups.of(m);
    Map<String, int[]> remove = new HashMap<>();
    for (ChannelGroup g : groups) {
      if (g.prunable()) {
        remove.put(g.producers().get(0), new int[] {0});
      }
    }
    assertThat(remove).isNotEmpty();
    check(m, null, remove);
  }

  /** PyTorch's logits for the fixture's input (make_fixtures.py in peer/resnet). */
  static float[] floats(Path file) throws java.io.IOException {
    java.nio.FloatBuffer b = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file))
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] f = new float[b.remaining()];
    b.get(f);
    return f;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"a", "b"})
  void pytorchResNetsRunAndThin(String option) throws Exception {
    Path dir = Path.of("src/test/resources/peer/resnet");
    // Option A's shortcut exports as Slice (x[:, :, ::2, ::2]) and a Pad whose pads PyTorch computes
    // with ConstantOfShape, Concat, Slice, Transpose and Cast on constants: all folded at load.
    Model m = OnnxReader.load(dir.resolve("resnet8-" + option + ".onnx"));
    float[] x = floats(dir.resolve("resnet8-" + option + "-input.bin"));
    float[] expected = floats(dir.resolve("resnet8-" + option + "-output.bin"));
    try (Session s = ENGINE.open(m)) {
      float[] y = s.run(Map.of("input", Tensor.of(x, 4, 1, 28, 28))).get("logits").floats();
      for (int i = 0; i < y.length; i++) {
        assertThat(y[i]).as("logit %d against PyTorch", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
    List<ChannelGroup> groups = ChannelGroups.of(m);
    List<ChannelGroup> free = groups.stream().filter(ChannelGroup::prunable).toList();
    // ResNet-8 has 3 blocks: their inner groups are free either way; option B adds the 3 streams.
    assertThat(free).hasSize(option.equals("a") ? 3 : 6);
    Map<String, int[]> remove = new HashMap<>();
    for (ChannelGroup g : free) {
      remove.put(g.producers().get(0), new int[] {1, g.size() - 1});
    }
    check(m, null, remove);
  }

  @Test
  void pinnedGroupsAndBadRequestsAreRefused() {
    Model m = Zoo.create("lenet-5", 1);
    List<ChannelGroup> groups = ChannelGroups.of(m);
    assertThatThrownBy(() -> Thinning.apply(m, Map.of(byProducer(groups, "ip2"), new int[] {0})))
        .isInstanceOf(CondenseException.class).hasMessageContaining("graph output");
    assertThatThrownBy(() -> Thinning.apply(m, Map.of(byProducer(groups, "conv1"), new int[] {20})))
        .hasMessageContaining("does not exist");
    int[] all = java.util.stream.IntStream.range(0, 20).toArray();
    assertThatThrownBy(() -> Thinning.apply(m, Map.of(byProducer(groups, "conv1"), all)))
        .hasMessageContaining("all 20 channels");
  }

  /**
   * Zeroes the consumer slices of the chosen channels, then thins them out: outputs must match
   * the zeroed model's (and every group must have shrunk by the chosen count).
   */
  static void check(Model model, int[] sample, Map<String, int[]> byProducer) {
    List<ChannelGroup> groups = ChannelGroups.of(model);
    Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
    byProducer.forEach((p, ch) -> remove.put(byProducer(groups, p), ch));
    Map<String, Tensor> init = new LinkedHashMap<>(model.graph().initializers());
    for (Map.Entry<ChannelGroup, int[]> e : remove.entrySet()) {
      for (Slice s : e.getKey().slices()) {
        if (s.role() == Slice.Role.CONSUMER) {
          init.put(s.tensor(), zeroSlices(init.get(s.tensor()), s, e.getValue()));
        }
      }
    }
    Model zeroed = model.withGraph(model.graph().withInitializers(init));
    Model thin = Thinning.apply(zeroed, remove);
    int[] shape = model.graph().inputs().get(0).shapeOr(4);
    shape[0] = 4;
    float[] x = new float[(int) Tensor.numel(shape)];
    Random r = new Random(9);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() * 2 - 1;
    }
    String in = model.graph().inputs().get(0).name();
    String out = model.graph().outputs().get(0).name();
    float[] expected;
    float[] actual;
    try (Session a = ENGINE.open(zeroed); Session b = ENGINE.open(thin)) {
      expected = a.run(Map.of(in, Tensor.of(x, shape))).get(out).floats();
      actual = b.run(Map.of(in, Tensor.of(x, shape))).get(out).floats();
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f + 1e-4f * Math.abs(expected[i])));
    }
    assertThat(thin.graph().parameterCount()).isLessThan(model.graph().parameterCount());
    for (ChannelGroup g : ChannelGroups.of(thin)) {
      ChannelGroup before = byProducer(groups, g.producers().get(0));
      int removed = remove.containsKey(before) ? remove.get(before).length : 0;
      assertThat(g.size()).as(g.name()).isEqualTo(before.size() - removed);
    }
  }

  static Tensor zeroSlices(Tensor t, Slice s, int[] channels) {
    float[] d = t.floatsCopy();
    for (int c : channels) {
      s.forEachIndex(t.shape(), c, i -> d[i] = 0f);
    }
    return Tensor.of(d, t.shape());
  }
}
