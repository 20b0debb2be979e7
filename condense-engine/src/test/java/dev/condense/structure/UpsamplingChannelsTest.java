package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The channel rules of the up-sampling ops on the PyTorch decoder ({@code exports/upsampling}):
 * Resize passes channels (the conv before the final nearest resize thins, and the thinned model
 * computes what the zeroed one does); ConvTranspose reads channels through weight axis 0 and
 * makes them along axis 1 ([C_in, C_out/group, ...], the reverse of Conv's), a grouped one with as
 * many outputs as inputs passes them in whole groups; the thinned decoders equal the masked ones in
 * ONNX Runtime.
 */
class UpsamplingChannelsTest {
  static Model load(String name) throws Exception {
    Path dir = Path.of(UpsamplingChannelsTest.class.getResource("/exports/upsampling/export.py").toURI()).getParent();
    return OnnxReader.load(dir.resolve(name + ".onnx"));
  }

  @Test
  void resizePassesChannelsAndThinningKeepsOutputs() throws Exception {
    for (String file : List.of("decoder-opset13", "decoder9-opset9")) {
      Model m = load(file);
      ChannelGroup g = ChannelGroupsTest.byProducer(ChannelGroups.of(m), "/conv2/Conv");
      assertThat(g.prunable()).as(file).isTrue();
      assertThat(g.slices()).as(file).contains(new Slice("conv2.weight", 0, 0, 1, Slice.Role.PRODUCER),
          new Slice("fc.weight", 1, 0, 16, Slice.Role.CONSUMER));
      ChannelGroupsTest.check(m, null, Map.of("/conv2/Conv", new int[] {1}));
    }
  }

  @Test
  void convTransposeReadsAxisZeroAndMakesAxisOne() throws Exception {
    Model m = load("widen-opset13");
    List<ChannelGroup> groups = ChannelGroups.of(m);
    ChannelGroup in = MaskedThinned.made(groups, "/conv1/Conv");
    assertThat(in.prunable()).isTrue();
    assertThat(in.slices()).contains(new Slice("up.weight", 0, 0, 1, Slice.Role.CONSUMER));
    ChannelGroup up = MaskedThinned.made(groups, "/up/ConvTranspose");
    assertThat(up.prunable()).as(up.reasons().toString()).isTrue();
    assertThat(up.unit()).isEqualTo(2);
    assertThat(up.depthwise()).containsExactly("/mix/ConvTranspose");
    assertThat(up.slices()).containsExactlyInAnyOrder(new Slice("up.weight", 1, 0, 1, Slice.Role.PRODUCER),
        new Slice("up.bias", 0, 0, 1, Slice.Role.PRODUCER), new Slice("mix.weight", 0, 0, 1, Slice.Role.PARAMETER),
        new Slice("mix.bias", 0, 0, 1, Slice.Role.PARAMETER), new Slice("conv2.weight", 1, 0, 1, Slice.Role.CONSUMER));
    Model thin = MaskedThinned.check(m, Map.of(in, new int[] {1}, up, new int[] {2, 3}), new int[] {3, 2, 3, 3});
    assertThat(thin.graph().initializer("up.weight").shape()).containsExactly(3, 4, 3, 3);
    assertThat(thin.graph().initializer("mix.weight").shape()).containsExactly(4, 2, 3, 3);
    assertThat(thin.graph().node("/mix/ConvTranspose").intAttr("group", 0)).isEqualTo(2);
  }

  @Test
  void groupedConvTransposePassesWholeGroups() throws Exception {
    Model m = load("decoder-opset13");
    ChannelGroup g = MaskedThinned.made(ChannelGroups.of(m), "/conv1/Conv");
    assertThat(g.prunable()).as(g.reasons().toString()).isTrue();
    assertThat(g.unit()).isEqualTo(2);
    assertThat(g.slices()).contains(new Slice("up.weight", 0, 0, 1, Slice.Role.PARAMETER),
        new Slice("up.bias", 0, 0, 1, Slice.Role.PARAMETER));
    assertThatThrownBy(() -> Thinning.apply(m, Map.of(g, new int[] {0}))).hasMessageContaining("whole groups of 2");
    Model thin = MaskedThinned.check(m, Map.of(g, new int[] {2, 3}), new int[] {3, 2, 3, 3});
    assertThat(thin.graph().node("/up/ConvTranspose").intAttr("group", 0)).isEqualTo(1);
  }
}
