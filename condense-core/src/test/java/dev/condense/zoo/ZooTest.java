package dev.condense.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.condense.CondenseException;
import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.ops.OpTable;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The zoo's VGG and ResNets: learnable parameters equal PyTorch's for the same architecture
 * (peer/resnet/params.json, written by make_fixtures.py), ONNX Runtime computes what the engine
 * computes, and the channel groups are the ones the architecture implies.
 */
class ZooTest {
  static final CpuEngine ENGINE = new CpuEngine(2);
  static final Path PEER = Path.of("src/test/resources/peer/resnet");

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  static int[] shape(String s) {
    return java.util.Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
  }

  @ParameterizedTest
  @CsvSource({"resnet-20:shortcut=a,3x32x32", "resnet-20:shortcut=b,3x32x32", "resnet-56:shortcut=a,1x28x28",
      "resnet-56:shortcut=b,1x28x28", "vgg-16,3x32x32", "vgg-16,1x28x28"})
  void learnableParametersMatchPyTorch(String spec, String sample) throws Exception {
    JsonNode counts = new ObjectMapper().readTree(PEER.resolve("params.json").toFile());
    Model m = Zoo.create(spec, 1, shape(sample), 10);
    assertThat(OpTable.standard().learnableParameterCount(m.graph())).isEqualTo(counts.get(spec + " " + sample).asLong());
  }

  @ParameterizedTest
  @CsvSource({"resnet-20:shortcut=a,1x28x28", "resnet-20:shortcut=b,3x32x32", "vgg-16:width=0.25,1x28x28",
      "vgg-16:width=0.125,3x32x32", "lenet-5,3x32x32"})
  void onnxRuntimeComputesWhatTheEngineComputes(String spec, String sample) throws Exception {
    Model m = Zoo.create(spec, 3, shape(sample), 10);
    int[] s = shape(sample);
    int[] batch = {3, s[0], s[1], s[2]};
    float[] x = new float[(int) Tensor.numel(batch)];
    Random r = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] engine;
    try (Session session = ENGINE.open(m)) {
      engine = session.run(Map.of("input", Tensor.of(x, batch))).get(m.graph().outputs().get(0).name()).floats();
    }
    float[] ort = OrtReference.run(m, x, batch);
    assertThat(engine).hasSize(30);
    for (int i = 0; i < ort.length; i++) {
      assertThat(engine[i]).as("logit %d", i).isCloseTo(ort[i], org.assertj.core.data.Offset.offset(2e-4f + 2e-4f * Math.abs(ort[i])));
    }
  }

  @Test
  void channelGroupsFollowTheArchitecture() {
    // VGG: every conv layer and fc1 is its own prunable group; the classifier is pinned.
    List<ChannelGroup> vgg = ChannelGroups.of(Zoo.create("vgg-16:width=0.25", 1));
    assertThat(vgg.stream().filter(ChannelGroup::prunable)).hasSize(14);
    // ResNet-20, option A: the 9 inner groups (conv1 of each block) are free; every residual
    // stream meets zero-padded channels (the stage before it, padded; or, for the last stage, its
    // own first block's shortcut), which no slice can follow, so the streams are pinned.
    List<ChannelGroup> a = ChannelGroups.of(Zoo.create("resnet-20", 1));
    assertThat(a.stream().filter(ChannelGroup::prunable).map(g -> g.producers())).hasSize(9)
        .allMatch(p -> p.size() == 1 && p.get(0).matches("layer\\d\\.\\d\\.conv1"));
    assertThat(a.stream().filter(g -> g.producers().contains("conv1")).findFirst().orElseThrow().pinned())
        .contains("padded along the channel axis");
    // Option B: each stream is one group of its stem or projection plus every block's conv2.
    List<ChannelGroup> b = ChannelGroups.of(Zoo.create("resnet-20:shortcut=b", 1));
    assertThat(b.stream().filter(ChannelGroup::prunable)).hasSize(12);
    ChannelGroup stage2 = b.stream().filter(g -> g.producers().contains("layer2.0.shortcut.conv")).findFirst().orElseThrow();
    assertThat(stage2.producers()).containsExactlyInAnyOrder("layer2.0.shortcut.conv", "layer2.0.conv2", "layer2.1.conv2",
        "layer2.2.conv2");
  }

  @Test
  void badSpecsNameWhatIsWrong() {
    assertThatThrownBy(() -> Zoo.create("vgg-16:width=0", 1)).isInstanceOf(CondenseException.class).hasMessageContaining("width");
    assertThatThrownBy(() -> Zoo.create("resnet-20:shortcut=c", 1)).hasMessageContaining("shortcut must be one of a, b");
    assertThatThrownBy(() -> Zoo.create("lenet-5:width=2", 1)).hasMessageContaining("has no option 'width'");
    assertThatThrownBy(() -> Zoo.create("resnet-20:depth", 1)).hasMessageContaining("not key=value");
    assertThatThrownBy(() -> Zoo.create("resnet-21", 1)).hasMessageContaining("unknown zoo model");
  }
}
