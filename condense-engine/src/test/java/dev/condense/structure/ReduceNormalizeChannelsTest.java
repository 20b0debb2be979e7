package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The channel rules of the new ops on PyTorch exports ({@code exports/reduce}): InstanceNorm's
 * scale and B are sliced with the channels they normalise (and thinning keeps the outputs),
 * {@code x.mean(dim=(2, 3))} passes channels to the layer after it, Split pins them.
 */
class ReduceNormalizeChannelsTest {
  static Model load(String name) throws Exception {
    Path dir = Path.of(ReduceNormalizeChannelsTest.class.getResource("/exports/reduce/export.py").toURI()).getParent();
    return OnnxReader.read(dir.resolve(name + ".onnx"));
  }

  @Test
  void instanceNormParametersAreSlicedAndThinningKeepsOutputs() throws Exception {
    Model m = load("instancenorm-opset17");
    ChannelGroup g = ChannelGroupsTest.byProducer(ChannelGroups.of(m), "/conv/Conv");
    assertThat(g.prunable()).isTrue();
    assertThat(g.slices()).contains(new Slice("norm.weight", 0, 0, 1, Slice.Role.PARAMETER),
        new Slice("norm.bias", 0, 0, 1, Slice.Role.PARAMETER), new Slice("conv2.weight", 1, 0, 1, Slice.Role.CONSUMER));
    ChannelGroupsTest.check(m, null, Map.of("/conv/Conv", new int[] {1, 3}));
  }

  @Test
  void spatialMeanPassesChannelsAndSplitPinsThem() throws Exception {
    List<ChannelGroup> se = ChannelGroups.of(load("se-pool-opset17"));
    assertThat(ChannelGroupsTest.byProducer(se, "/conv/Conv").slices())
        .contains(new Slice("fc1.weight", 1, 0, 1, Slice.Role.CONSUMER));
    ChannelGroup split = ChannelGroupsTest.byProducer(ChannelGroups.of(load("split-cat-opset17")), "/conv1/Conv");
    assertThat(split.prunable()).isFalse();
    assertThat(split.pinned()).contains("Split");
  }
}
