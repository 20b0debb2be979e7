package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Channel groups of the PyTorch transformer exports ({@code exports/attention}): the MLP hidden
 * width (Linear → GELU → Linear, exported as MatMul + Add on [B, T, E]) is a prunable group on the
 * activations' last axis, and a ViT thinned there computes what the masked one does in ONNX
 * Runtime; the residual stream stays pinned, saying why (the heads: {@link AttentionHeadGroupsTest}).
 */
class TransformerGroupsTest {
  static Model load(String name) throws Exception {
    Path dir = Path.of(TransformerGroupsTest.class.getResource("/exports/attention/export.py").toURI()).getParent();
    return OnnxReader.load(dir.resolve(name + ".onnx"));
  }

  @Test
  void mlpHiddenWidthIsAGroupOnTheLastAxis() throws Exception {
    for (String file : List.of("vit-opset11", "vit-opset13", "vit-opset17", "text-opset13")) {
      List<ChannelGroup> groups = ChannelGroups.of(load(file));
      String layer = file.startsWith("vit") ? "/post_norm/layers.0" : "/encoder/layers.0";
      String prefix = file.startsWith("vit") ? "post_norm.layers.0" : "encoder.layers.0";
      ChannelGroup mlp = MaskedThinned.made(groups, layer + "/linear1/MatMul");
      assertThat(mlp.prunable()).as(file + ": " + mlp.reasons()).isTrue();
      assertThat(mlp.size()).isEqualTo(32);
      assertThat(mlp.consumers()).containsExactly(layer + "/linear2/MatMul");
      assertThat(mlp.slices()).contains(new Slice(prefix + ".linear1.bias", 0, 0, 1, Slice.Role.PARAMETER));
      assertThat(mlp.slices().stream().filter(s -> s.role() == Slice.Role.PRODUCER).map(Slice::axis)).containsExactly(1);
      assertThat(mlp.slices().stream().filter(s -> s.role() == Slice.Role.CONSUMER).map(Slice::axis)).containsExactly(0);
      ChannelGroup qkv = MaskedThinned.made(groups, layer + "/self_attn/MatMul");
      assertThat(qkv.size()).isEqualTo(16); // heads: AttentionHeadGroupsTest
      assertThat(qkv.prunable()).as(file + ": " + qkv.reasons()).isTrue();
      assertThat(MaskedThinned.made(groups, layer + "/linear2/MatMul").pinned()).as(file).contains("residual stream");
    }
  }

  @Test
  void thinnedVitMlpEqualsTheMaskedOneInOrt() throws Exception {
    Model m = load("vit-opset13");
    List<ChannelGroup> groups = ChannelGroups.of(m);
    Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
    remove.put(MaskedThinned.made(groups, "/post_norm/layers.0/linear1/MatMul"), new int[] {0, 3, 4, 9, 17, 30});
    remove.put(MaskedThinned.made(groups, "/pre_norm/layers.0/linear1/MatMul"), new int[] {1, 2, 5, 8, 13, 21, 31});
    Model thin = MaskedThinned.check(m, remove, new int[] {2, 3, 16, 16});
    assertThat(thin.graph().initializer("post_norm.layers.0.linear1.bias").shape()).containsExactly(26);
    assertThat(thin.graph().initializer("pre_norm.layers.0.linear2.bias").shape()).containsExactly(16);
  }

  @Test
  void thinnedTorchvisionVitMlpEqualsTheMaskedOneInOrt() throws Exception {
    Model m = load("tvvit-opset17");
    List<ChannelGroup> groups = ChannelGroups.of(m);
    Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
    for (String layer : List.of("encoder_layer_0", "encoder_layer_1")) {
      ChannelGroup g = MaskedThinned.made(groups, "/encoder/layers/" + layer + "/mlp/mlp.0/MatMul");
      assertThat(g.prunable()).as(g.reasons().toString()).isTrue();
      assertThat(g.size()).isEqualTo(64);
      remove.put(g, new int[] {1, 7, 20, 33, 40, 63});
    }
    MaskedThinned.check(m, remove, new int[] {2, 3, 32, 32});
  }
}
