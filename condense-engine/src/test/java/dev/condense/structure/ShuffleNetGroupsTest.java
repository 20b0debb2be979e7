package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * torchvision's ShuffleNetV2 at a tiny width ({@code exports/shufflenet}, opsets 13 and 17): the
 * channel shuffle after each block's Concat merges channel j of both branches into one group, the
 * chunk of the next block cuts that group in two (the half that goes on unchanged, the half the
 * next branch reads), the next shuffle pairs the half that went on with the new branch's channels
 * (in pairs, then fours, ...), a chunk that falls inside one such channel pins with its reason,
 * and the thinned model computes what the masked one does in ONNX Runtime at 1e-5.
 */
class ShuffleNetGroupsTest {
  private static final String BRANCH1 = "/stage2/stage2.0/branch1/branch1.2/Conv";
  private static final String BRANCH2 = "/stage2/stage2.0/branch2/branch2.5/Conv";
  private static final int[] INPUT = {1, 3, 32, 32};

  static Model load(int opset) throws Exception {
    Path dir = Path.of(ShuffleNetGroupsTest.class.getResource("/exports/shufflenet/export.py").toURI()).getParent();
    return OnnxReader.load(dir.resolve("tiny-opset" + opset + ".onnx"));
  }

  private static String weight(Model m, String conv) {
    return m.graph().node(conv).input(1);
  }

  /** The groups that hold filters of {@code producer}, by the first filter they hold. */
  private static Map<Integer, ChannelGroup> byFirstFilter(Model m, List<ChannelGroup> groups, String producer) {
    Map<Integer, ChannelGroup> out = new java.util.TreeMap<>();
    for (ChannelGroup g : groups) {
      for (Slice s : g.slices()) {
        if (s.role() == Slice.Role.PRODUCER && s.tensor().equals(weight(m, producer))) {
          out.put(s.offset(), g);
        }
      }
    }
    return out;
  }

  @Test
  void theShuffleMergesBothBranchesAndTheChunkCutsTheirGroupInTwo() throws Exception {
    for (int opset : new int[] {13, 17}) {
      Model m = load(opset);
      List<ChannelGroup> groups = ChannelGroups.of(m);
      // Stage 2's stride-2 block makes 8 + 8 channels; each of the four chunks after it keeps half of what goes on.
      Map<Integer, ChannelGroup> halves = byFirstFilter(m, groups, BRANCH1);
      assertThat(halves).as("opset %d", opset).containsOnlyKeys(0, 1, 2, 4);
      ChannelGroup read = halves.get(4);
      // Filters 4-7 of both branches: the second half of the shuffled stream, read by the next block's branch.
      assertThat(read.prunable()).as(read.reasons().toString()).isTrue();
      assertThat(read.size()).isEqualTo(4);
      assertThat(read.trunk()).containsExactly(BRANCH1, BRANCH2);
      assertThat(read.shuffles()).containsExactly("/stage2/stage2.0/Reshape");
      assertThat(read.slices()).contains(new Slice(weight(m, BRANCH1), 0, 4, 1, Slice.Role.PRODUCER),
          new Slice(weight(m, BRANCH2), 0, 4, 1, Slice.Role.PRODUCER),
          new Slice(weight(m, "/stage2/stage2.1/branch2/branch2.0/Conv"), 1, 0, 2, Slice.Role.CONSUMER));
      // Filters 2-3 of both branches go on, and meet the next block's 8 new channels in the next
      // shuffle: that branch's filters go in pairs (4-7 here), one pair per channel of the stream.
      ChannelGroup next = halves.get(2);
      assertThat(next.prunable()).as(next.reasons().toString()).isTrue();
      assertThat(next.size()).isEqualTo(2);
      assertThat(next.shuffles()).containsExactly("/stage2/stage2.0/Reshape", "/stage2/stage2.1/Reshape");
      assertThat(next.slices()).contains(new Slice(weight(m, BRANCH1), 0, 2, 1, Slice.Role.PRODUCER),
          new Slice(weight(m, "/stage2/stage2.1/branch2/branch2.5/Conv"), 0, 2, 2, Slice.Role.PRODUCER),
          new Slice(weight(m, "/stage2/stage2.2/branch2/branch2.0/Conv"), 1, 0, 4, Slice.Role.CONSUMER));
      // The fifth block's chunk cuts the stream inside one channel (16 positions by then): pinned, saying so.
      ChannelGroup last = halves.get(0);
      assertThat(last.pinned()).startsWith("sliced by node '/stage2/stage2.4/Slice'")
          .contains("at position 8 inside one of its channels of 16 positions");
      assertThat(MaskedThinned.made(groups, "/stage2/stage2.4/branch2/branch2.5/Conv").pinned())
          .contains("which node '/stage2/stage2.4/Slice' (Slice -> /stage2/stage2.4/Slice_output_0) does not follow");
      // Stage 3's one block: its shuffled stream is read whole by stage 4 (a depthwise Conv and a 1x1 Conv).
      ChannelGroup stage3 = MaskedThinned.made(groups, "/stage3/stage3.0/branch1/branch1.2/Conv");
      assertThat(stage3.prunable()).as(stage3.reasons().toString()).isTrue();
      assertThat(stage3.size()).isEqualTo(16);
      assertThat(stage3.depthwise()).containsExactly("/stage4/stage4.0/branch1/branch1.0/Conv");
      assertThat(stage3.slices()).contains(
          new Slice(weight(m, "/stage4/stage4.0/branch2/branch2.0/Conv"), 1, 0, 2, Slice.Role.CONSUMER),
          new Slice(weight(m, "/stage4/stage4.0/branch1/branch1.0/Conv"), 0, 0, 2, Slice.Role.PARAMETER));
      assertThat(groups).hasSize(17);
      assertThat(groups.stream().filter(ChannelGroup::prunable).count()).isEqualTo(14);
      // APoZ reads a group's channels off its ReLU output, one activation channel each: never a
      // branch's output that a chunk divided, nor a shuffled stream whose channels own 2 positions.
      dev.condense.ops.ShapeInference.Result shapes = dev.condense.ops.ShapeInference.infer(m.graph(), Map.of());
      for (ChannelGroup g : groups) {
        String relu = dev.condense.prune.Apoz.reluValue(m.graph(), g);
        if (relu != null) {
          assertThat(shapes.type(relu).shape()[1]).as(g.name() + " at " + relu).isEqualTo(g.size());
        }
      }
      assertThat(dev.condense.prune.Apoz.reluValue(m.graph(), read)).isNull();
    }
  }

  /** A quarter (at least one) of the channels of every prunable group of two or more, chosen at random with {@code seed}. */
  private static Map<ChannelGroup, int[]> quarterOfEach(List<ChannelGroup> groups, long seed) {
    Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
    Random r = new Random(seed);
    for (ChannelGroup g : groups) {
      if (g.prunable() && g.size() > 1) {
        remove.put(g, Units.lowest(r.doubles(g.size()).toArray(), Math.max(1, g.size() / 4), g.unit()));
      }
    }
    return remove;
  }

  @Test
  void thinnedEqualsMaskedInOnnxRuntimeAtBothOpsets() throws Exception {
    for (int opset : new int[] {13, 17}) {
      Model m = load(opset);
      List<ChannelGroup> groups = ChannelGroups.of(m);
      Map<ChannelGroup, int[]> remove = quarterOfEach(groups, opset);
      Model thin = MaskedThinned.check(m, remove, INPUT, 1e-5f);
      // Both branches lost the same filters, and the shuffle's C/2 and C follow them.
      int kept = thin.graph().initializer(weight(thin, BRANCH2)).dim(0);
      assertThat(kept).as("opset %d", opset).isLessThan(8);
      assertThat(thin.graph().initializer(weight(thin, BRANCH1)).dim(0)).isEqualTo(kept);
      assertThat(thin.graph().initializer(thin.graph().node("/stage2/stage2.0/Reshape").input(1)).toLongs())
          .containsExactly(1, 2, kept, 4, 4);
      assertThat(thin.graph().initializer(thin.graph().node("/stage2/stage2.0/Reshape_1").input(1)).toLongs()[1])
          .isIn(-1L, 2L * kept);
    }
  }

  /**
   * torchvision's shufflenet_v2_x0_5 itself (random weights, 1x3x224x224), written by
   * {@code export.py DIR} into the folder CONDENSE_SHUFFLENET_DIR names (5.5 MB a file, not
   * committed; skipped where it is not set): a quarter of every prunable group thinned equals it
   * masked in ONNX Runtime, at both opsets. Run by hand for docs/structured-pruning.md.
   */
  @Test
  void torchvisionShuffleNetThinnedEqualsMasked() throws Exception {
    String dir = System.getenv("CONDENSE_SHUFFLENET_DIR");
    org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, "CONDENSE_SHUFFLENET_DIR is not set");
    for (int opset : new int[] {13, 17}) {
      Model m = OnnxReader.load(Path.of(dir, "shufflenet_v2_x0_5-opset" + opset + ".onnx"));
      List<ChannelGroup> groups = ChannelGroups.of(m);
      assertThat(groups).as("opset %d", opset).hasSize(35);
      assertThat(groups.stream().filter(ChannelGroup::prunable).count()).isEqualTo(30);
      assertThat(groups.stream().filter(g -> g.prunable() && !g.shuffles().isEmpty()).count()).isEqualTo(12);
      MaskedThinned.check(m, quarterOfEach(groups, opset), new int[] {1, 3, 224, 224}, 1e-5f);
    }
  }
}
