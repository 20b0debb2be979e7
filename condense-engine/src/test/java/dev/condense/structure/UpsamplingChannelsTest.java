package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The channel rules of the up-sampling ops on the PyTorch decoder ({@code exports/upsampling}):
 * Resize passes channels (the conv before the final nearest resize thins, and the thinned model
 * computes what the zeroed one does); ConvTranspose pins the channels it reads, because its
 * weight's channel axes ([C_in, C_out/group, ...]) are the reverse of Conv's, which the channel
 * analysis and thinning do not slice yet.
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
  void convTransposePinsTheChannelsItReads() throws Exception {
    ChannelGroup g = ChannelGroupsTest.byProducer(ChannelGroups.of(load("decoder-opset13")), "/conv1/Conv");
    assertThat(g.prunable()).isFalse();
    assertThat(g.pinned()).contains("ConvTranspose");
  }
}
