package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attention heads as channel groups on PyTorch's nn.MultiheadAttention exports
 * ({@code exports/attention}, opsets 11, 13, 17): the packed Q/K/V projection's columns of head h,
 * the output projection's rows of head h go together, in whole heads; a model thinned by heads
 * computes in ONNX Runtime what the original computes with those heads' output-projection rows
 * zeroed (the heads masked).
 */
class AttentionHeadGroupsTest {

  @Test
  void thePackedProjectionIsOneGroupOfWholeHeads() throws Exception {
    for (String file : List.of("vit-opset11", "vit-opset13", "vit-opset17", "tvvit-opset13", "vit-b1-opset13")) {
      List<ChannelGroup> groups = ChannelGroups.of(TransformerGroupsTest.load(file));
      String attn = file.startsWith("vit") ? "/post_norm/layers.0/self_attn" : "/encoder/layers/encoder_layer_0/self_attention";
      ChannelGroup g = MaskedThinned.made(groups, attn + "/MatMul");
      int e = file.startsWith("vit") ? 16 : 32;
      assertThat(g.prunable()).as(file + ": " + g.reasons()).isTrue();
      assertThat(g.heads()).isTrue();
      assertThat(g.size()).isEqualTo(e);
      assertThat(g.headSize()).isEqualTo(e / 2);
      assertThat(g.unit()).isEqualTo(e / 2);
      assertThat(g.consumers()).containsExactly(attn + "/Gemm");
      assertThat(g.slices().stream().filter(s -> s.role() == Slice.Role.PRODUCER).map(Slice::offset))
          .containsExactly(0, e, 2 * e);
      assertThat(g.slices().stream().filter(s -> s.role() == Slice.Role.PARAMETER).map(Slice::offset))
          .containsExactly(0, e, 2 * e);
    }
  }

  @Test
  void headsThinnedOutEqualTheMaskedHeadsInOrt() throws Exception {
    for (String file : List.of("vit-opset11", "vit-opset13", "vit-opset17")) {
      Model thin = maskCheck(file, new int[] {3, 3, 16, 16}, Map.of("/post_norm/layers.0/self_attn/MatMul", range(0, 8),
          "/pre_norm/layers.0/self_attn/MatMul", range(8, 16), "/pre_norm/layers.0/linear1/MatMul", new int[] {1, 5, 30}));
      assertThat(thin.graph().initializer("post_norm.layers.0.self_attn.in_proj_bias").shape()).containsExactly(24);
      assertThat(thin.graph().initializer("post_norm.layers.0.self_attn.out_proj.weight").shape()).containsExactly(16, 8);
    }
  }

  @Test
  void torchvisionVitHeadsThinnedOutEqualTheMaskedHeadsInOrt() throws Exception {
    for (String file : List.of("tvvit-opset11", "tvvit-opset13", "tvvit-opset17")) {
      maskCheck(file, new int[] {2, 3, 32, 32}, Map.of("/encoder/layers/encoder_layer_0/self_attention/MatMul", range(16, 32),
          "/encoder/layers/encoder_layer_1/self_attention/MatMul", range(0, 16)));
    }
  }

  /** Thins the channels of the groups the named layers make, checked against the masked model in ORT at 1e-5. */
  private static Model maskCheck(String file, int[] input, Map<String, int[]> channels) throws Exception {
    Model m = TransformerGroupsTest.load(file);
    List<ChannelGroup> groups = ChannelGroups.of(m);
    Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
    channels.forEach((producer, c) -> remove.put(MaskedThinned.made(groups, producer), c));
    return MaskedThinned.check(m, remove, input, 1e-5f);
  }

  @Test
  void partOfAHeadIsRefusedNamingTheGroup() throws Exception {
    Model m = TransformerGroupsTest.load("vit-opset13");
    ChannelGroup g = MaskedThinned.made(ChannelGroups.of(m), "/post_norm/layers.0/self_attn/MatMul");
    assertThatThrownBy(() -> Thinning.apply(m, Map.of(g, new int[] {0, 1, 2})))
        .isInstanceOf(CondenseException.class).hasMessageContaining("whole groups of 8");
  }

  private static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }
}
