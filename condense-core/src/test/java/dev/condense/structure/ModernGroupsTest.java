package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.zoo.NetBuilder;
import dev.condense.zoo.OrtReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Channel groups of the blocks of today's architectures — depthwise (MobileNet), grouped
 * (ResNeXt, RegNet), squeeze-and-excitation (EfficientNet, MobileNetV3), dense concatenation
 * (DenseNet) — each checked in ONNX Runtime: the thinned model computes what the original does
 * with the removed channels masked (their readers' weights zeroed), at 1e-4.
 */
class ModernGroupsTest {
  static final int[] SAMPLE = {3, 10, 10};

  static ChannelGroup made(List<ChannelGroup> groups, String producer) {
    return ChannelGroupsTest.byProducer(groups, producer);
  }

  /** Conv → depthwise Conv → Conv, the MobileNetV2 block without its residual. */
  static Model depthwise() {
    NetBuilder b = new NetBuilder("dw", "input", SAMPLE, 3);
    String x = b.relu("r0", b.batchNorm("bn0", b.conv("c0", "input", 8, 1, 1, 0)));
    String d = b.relu("r1", b.conv("dw", x, 8, 3, 1, 1, true, 8));
    return head(b, b.conv("c1", d, 6, 1, 1, 0));
  }

  /** A squeeze-and-excitation block after a depthwise Conv: GAP → 1×1 → Relu → 1×1 → Sigmoid → Mul. */
  static Model squeezeExcitation() {
    NetBuilder b = new NetBuilder("se", "input", SAMPLE, 4);
    String x = b.relu("r0", b.conv("c0", "input", 8, 1, 1, 0));
    String d = b.relu("r1", b.conv("dw", x, 8, 3, 1, 1, true, 8));
    String s = b.relu("se.r", b.conv("se.fc1", b.globalAveragePool("se.pool", d), 4, 1, 1, 0));
    String gate = b.sigmoid("se.gate", b.conv("se.fc2", s, 8, 1, 1, 0));
    return head(b, b.conv("c1", b.mul("se.scale", d, gate), 6, 1, 1, 0));
  }

  /** A ResNeXt-style bottleneck: 1×1 → 3×3 in 4 groups of 4 → 1×1. */
  static Model grouped(int groupedOut) {
    NetBuilder b = new NetBuilder("grouped", "input", SAMPLE, 5);
    String x = b.relu("r0", b.conv("c0", "input", 16, 1, 1, 0));
    String g = b.relu("r1", b.conv("g", x, groupedOut, 3, 1, 1, true, 4));
    return head(b, b.conv("c1", g, 6, 1, 1, 0));
  }

  /** A dense block: each layer reads the concatenation of everything before it. */
  static Model dense() {
    NetBuilder b = new NetBuilder("dense", "input", SAMPLE, 6);
    String x = b.relu("r0", b.conv("c0", "input", 6, 3, 1, 1));
    String y = b.relu("r1", b.conv("c1", x, 4, 3, 1, 1));
    String xy = b.concat("cat1", x, y);
    String z = b.relu("r2", b.conv("c2", xy, 4, 3, 1, 1));
    return head(b, b.conv("c3", b.concat("cat2", xy, z), 5, 1, 1, 0));
  }

  /**
   * ShuffleNetV2's chunk without the shuffle: two layers concatenated, then split back into parts
   * of {@code sizes} by a Split reading a sizes initializer; each part feeds a Conv.
   */
  static Model concatThenSplit(long... sizes) {
    NetBuilder b = new NetBuilder("split", "input", SAMPLE, 8);
    String x = b.relu("r0", b.conv("c0", "input", 4, 3, 1, 1));
    String y = b.relu("r1", b.conv("c1", "input", 4, 3, 1, 1));
    // ca and cb are built on stand-ins of the parts' widths, then rewired to the Split's outputs.
    String pa = b.conv("ca", b.conv("standInA", "input", (int) sizes[0], 1, 1, 0), 3, 3, 1, 1);
    String pb = b.conv("cb", b.conv("standInB", "input", (int) sizes[1], 1, 1, 0), 3, 3, 1, 1);
    Model m = head(b, b.add("sum", pa, pb));
    List<Node> nodes = new java.util.ArrayList<>();
    for (Node n : m.graph().nodes()) {
      if (n.name().equals("ca") || n.name().equals("cb")) {
        if (n.name().equals("ca")) {
          nodes.add(new Node("cat", "Concat", List.of(x, y), List.of("cat"), Map.of("axis", new Attribute.IntAttr(1))));
          nodes.add(new Node("split", "Split", List.of("cat", "split.sizes"), List.of("pa", "pb"),
              Map.of("axis", new Attribute.IntAttr(1))));
        }
        List<String> in = new java.util.ArrayList<>(n.inputs());
        in.set(0, n.name().equals("ca") ? "pa" : "pb");
        nodes.add(n.withInputs(in));
      } else if (!n.name().startsWith("standIn")) {
        nodes.add(n);
      }
    }
    Map<String, Tensor> init = new LinkedHashMap<>(m.graph().initializers());
    init.keySet().removeIf(k -> k.startsWith("standIn"));
    init.put("split.sizes", Tensor.ofLongs(sizes, sizes.length));
    return m.withGraph(m.graph().withNodes(nodes).withInitializers(init));
  }

  private static Model head(NetBuilder b, String x) {
    return Model.of(b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", b.relu("rh", x))), 3), 3));
  }

  @Test
  void depthwiseJoinsItsInputAndOutput() throws Exception {
    List<ChannelGroup> groups = ChannelGroups.of(depthwise());
    ChannelGroup g = made(groups, "c0");
    assertThat(g.depthwise()).containsExactly("dw");
    assertThat(g.slices()).contains(new Slice("dw.weight", 0, 0, 1, Slice.Role.PARAMETER),
        new Slice("dw.bias", 0, 0, 1, Slice.Role.PARAMETER), new Slice("c1.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(groups).hasSize(3);
    Model thin = maskedEqualsThinned(depthwise(), Map.of("c0", new int[] {0, 3, 7}, "c1", new int[] {2}));
    assertThat(thin.graph().node("dw").intAttr("group", 0)).isEqualTo(5);
  }

  @Test
  void squeezeExcitationJoinsTheTrunkAndKeepsItsSqueezedChannels() throws Exception {
    List<ChannelGroup> groups = ChannelGroups.of(squeezeExcitation());
    ChannelGroup trunk = made(groups, "c0");
    assertThat(trunk.prunable()).isTrue();
    assertThat(trunk.producers()).containsExactly("c0", "se.fc2");
    assertThat(trunk.gates()).containsExactly("se.fc2");
    assertThat(trunk.name()).isEqualTo("c0");
    assertThat(trunk.slices()).contains(new Slice("se.fc2.weight", 0, 0, 1, Slice.Role.GATE),
        new Slice("se.fc1.weight", 1, 0, 1, Slice.Role.CONSUMER));
    ChannelGroup squeezed = made(groups, "se.fc1");
    assertThat(squeezed.size()).isEqualTo(4);
    assertThat(squeezed.prunable()).isTrue();
    assertThat(squeezed.slices()).contains(new Slice("se.fc2.weight", 1, 0, 1, Slice.Role.CONSUMER));
    maskedEqualsThinned(squeezeExcitation(), Map.of("c0", new int[] {1, 2, 6}, "se.fc1", new int[] {0, 3}));
  }

  @Test
  void groupedConvolutionLosesWholeGroups() throws Exception {
    List<ChannelGroup> groups = ChannelGroups.of(grouped(16));
    ChannelGroup g = made(groups, "c0");
    assertThat(g.unit()).isEqualTo(4);
    assertThat(g.depthwise()).containsExactly("g");
    assertThat(g.prunable()).isTrue();
    assertThat(g.removable(5)).isEqualTo(4);
    assertThat(g.removable(16)).isEqualTo(12);
    Model thin = maskedEqualsThinned(grouped(16), Map.of("c0", new int[] {4, 5, 6, 7, 12, 13, 14, 15}));
    assertThat(thin.graph().node("g").intAttr("group", 0)).isEqualTo(2);
    assertThatThrownBy(() -> Thinning.apply(grouped(16), Map.of(g, new int[] {4, 5})))
        .isInstanceOf(CondenseException.class).hasMessageContaining("whole groups of 4");
    assertThat(Units.lowest(new double[] {5, 5, 1, 1, 0, 9, 2, 2}, 4, 2)).containsExactly(2, 3, 6, 7);
  }

  @Test
  void groupedConvolutionWithMoreOutputsThanInputsIsPinnedWithTheReason() {
    List<ChannelGroup> groups = ChannelGroups.of(grouped(32));
    assertThat(made(groups, "c0").pinned()).contains("grouped Conv node 'g'").contains("makes 32 channels from 16");
    assertThat(made(groups, "g").pinned()).contains("outputs per group differ");
  }

  @Test
  void denseConcatenationOffsetsEachLayersChannels() throws Exception {
    List<ChannelGroup> groups = ChannelGroups.of(dense());
    assertThat(made(groups, "c0").slices()).contains(new Slice("c2.weight", 1, 0, 1, Slice.Role.CONSUMER),
        new Slice("c3.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(made(groups, "c1").slices()).contains(new Slice("c2.weight", 1, 6, 1, Slice.Role.CONSUMER),
        new Slice("c3.weight", 1, 6, 1, Slice.Role.CONSUMER));
    assertThat(made(groups, "c2").slices()).contains(new Slice("c3.weight", 1, 10, 1, Slice.Role.CONSUMER));
    maskedEqualsThinned(dense(), Map.of("c0", new int[] {0, 5}, "c1", new int[] {1}, "c2", new int[] {3}));
  }

  @Test
  void splitSendsEachLayersChannelsToItsPartAndShrinksTheSizes() throws Exception {
    List<ChannelGroup> groups = ChannelGroups.of(concatThenSplit(4, 4));
    assertThat(made(groups, "c0").slices()).contains(new Slice("ca.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(made(groups, "c1").slices()).contains(new Slice("cb.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(made(groups, "c1").reshapes()).containsExactly(new ChannelGroup.ReshapeFix("split.sizes", 1, 1));
    Model thin = maskedEqualsThinned(concatThenSplit(4, 4), Map.of("c0", new int[] {1}, "c1", new int[] {0, 3}));
    assertThat(thin.graph().initializer("split.sizes").toLongs()).containsExactly(3, 2);
  }

  @Test
  void splitInsideOneLayersChannelsCutsItsGroupInTwo() throws Exception {
    List<ChannelGroup> cut = ChannelGroups.of(concatThenSplit(2, 6));
    ChannelGroup low = made(cut, "c0");
    ChannelGroup high = cut.stream().filter(g -> g.producers().contains("c0") && g != low).findFirst().orElseThrow();
    assertThat(low.prunable()).as(low.reasons().toString()).isTrue();
    assertThat(high.prunable()).as(high.reasons().toString()).isTrue();
    assertThat(low.size()).isEqualTo(2);
    assertThat(high.size()).isEqualTo(2);
    assertThat(low.slices()).contains(new Slice("c0.weight", 0, 0, 1, Slice.Role.PRODUCER),
        new Slice("ca.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(high.slices()).contains(new Slice("c0.weight", 0, 2, 1, Slice.Role.PRODUCER),
        new Slice("cb.weight", 1, 0, 1, Slice.Role.CONSUMER));
    assertThat(made(cut, "c1").slices()).contains(new Slice("cb.weight", 1, 2, 1, Slice.Role.CONSUMER));
    Map<ChannelGroup, int[]> remove = Map.of(low, new int[] {1}, high, new int[] {0}, made(cut, "c1"), new int[] {3});
    Model thin = MaskedThinned.check(concatThenSplit(2, 6), remove, new int[] {2, SAMPLE[0], SAMPLE[1], SAMPLE[2]});
    assertThat(thin.graph().initializer("split.sizes").toLongs()).containsExactly(1, 4);
    assertThat(thin.graph().initializer("c0.weight").dim(0)).isEqualTo(2);
  }

  /**
   * Convs of {@code widths} channels, concatenated, shuffled in two parts (Reshape → Transpose →
   * Reshape, as ShuffleNet v2 exports it) and read by Conv c9.
   */
  static Model shuffled(int... widths) {
    NetBuilder b = new NetBuilder("shuffle", "input", SAMPLE, 9);
    String[] parts = new String[widths.length];
    int c = 0;
    for (int i = 0; i < widths.length; i++) {
      parts[i] = b.relu("r" + i, b.conv("c" + i, "input", widths[i], 3, 1, 1));
      c += widths[i];
    }
    String x = b.concat("cat", parts);
    Model m = head(b, b.conv("c9", x, 4, 1, 1, 0));
    List<Node> nodes = new java.util.ArrayList<>();
    for (Node n : m.graph().nodes()) {
      if (n.name().equals("c9")) {
        nodes.add(new Node("view", "Reshape", List.of(x, "view.shape"), List.of("v"), Map.of()));
        nodes.add(new Node("swap", "Transpose", List.of("v"), List.of("t"),
            Map.of("perm", new Attribute.IntsAttr(new long[] {0, 2, 1, 3, 4}))));
        nodes.add(new Node("back", "Reshape", List.of("t", "back.shape"), List.of("s"), Map.of()));
        nodes.add(n.withInputs(List.of("s", n.input(1), n.input(2))));
      } else {
        nodes.add(n);
      }
    }
    return m.withGraph(m.graph().withNodes(nodes)
        .withInitializer("view.shape", Tensor.ofLongs(new long[] {-1, 2, c / 2, 10, 10}, 5))
        .withInitializer("back.shape", Tensor.ofLongs(new long[] {-1, c, 10, 10}, 4)));
  }

  @Test
  void aChannelShuffleMergesChannelJOfEachPart() throws Exception {
    // One layer's 8 channels shuffled: channel j and j + 4 meet at positions 2j, 2j + 1 and go together.
    List<ChannelGroup> groups = ChannelGroups.of(shuffled(8));
    ChannelGroup g = made(groups, "c0");
    assertThat(g.prunable()).as(g.reasons().toString()).isTrue();
    assertThat(g.size()).isEqualTo(4);
    assertThat(g.shuffles()).containsExactly("view");
    assertThat(g.slices()).contains(new Slice("c0.weight", 0, 0, 1, Slice.Role.PRODUCER),
        new Slice("c0.weight", 0, 4, 1, Slice.Role.PRODUCER), new Slice("c9.weight", 1, 0, 2, Slice.Role.CONSUMER));
    Model thin = MaskedThinned.check(shuffled(8), Map.of(g, new int[] {1, 2}), new int[] {2, SAMPLE[0], SAMPLE[1], SAMPLE[2]});
    assertThat(thin.graph().initializer("c0.weight").dim(0)).isEqualTo(4);
    assertThat(thin.graph().initializer(thin.graph().node("view").input(1)).toLongs()).containsExactly(-1, 2, 2, 10, 10);
    assertThat(thin.graph().initializer(thin.graph().node("back").input(1)).toLongs()).containsExactly(-1, 4, 10, 10);
    // Two layers of 4, one per part (ShuffleNet v2's two branches): c0's channel j goes with c1's.
    ChannelGroup both = made(ChannelGroups.of(shuffled(4, 4)), "c0");
    assertThat(both.trunk()).containsExactly("c0", "c1");
    assertThat(both.size()).isEqualTo(4);
    MaskedThinned.check(shuffled(4, 4), Map.of(both, new int[] {3}), new int[] {2, SAMPLE[0], SAMPLE[1], SAMPLE[2]});
  }

  @Test
  void aShuffleOfPartsLaidOutDifferentlyPinsWithItsReason() {
    // Parts of 4: c0's 2 channels and half of c1's against the other half of c1's 4 (cut at the part boundary).
    List<ChannelGroup> groups = ChannelGroups.of(shuffled(2, 6));
    assertThat(made(groups, "c0").reasons()).containsExactly("interleaved by the channel shuffle at node 'view' (Reshape -> v)"
        + " with its 2 parts laid out differently (2 channels from 0, 2 channels from 2 against 4 channels from 0):"
        + " removing a channel from one part has no matching channel to remove from the other, so the parts would differ in size");
    assertThat(groups.stream().filter(g -> g.producers().contains("c1")).toList()).hasSize(2)
        .allSatisfy(g -> assertThat(g.pinned()).startsWith("interleaved by the channel shuffle at node 'view'"));
  }

  /**
   * The channels of {@code byProducer} masked (every reader's slice zeroed) and thinned out: both
   * run in ONNX Runtime, whose outputs must agree at 1e-4. Returns the thinned model.
   */
  static Model maskedEqualsThinned(Model model, Map<String, int[]> byProducer) throws Exception {
    List<ChannelGroup> groups = ChannelGroups.of(model);
    Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
    byProducer.forEach((p, ch) -> remove.put(made(groups, p), ch));
    return MaskedThinned.check(model, remove, new int[] {2, SAMPLE[0], SAMPLE[1], SAMPLE[2]});
  }
}
