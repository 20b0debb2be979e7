package dev.condense.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule of what trains, on graphs whose float initializers are not all parameters. */
class TrainableTensorsTest {

  private static Map<String, String> verdicts(Model m) {
    Map<String, String> r = new LinkedHashMap<>();
    for (TrainableTensors.Entry e : TrainableTensors.of(m.graph(), OpTable.standard()).entries()) {
      r.put(e.name(), (e.trains() ? "trains: " : "frozen: ") + e.reason());
    }
    return r;
  }

  @Test
  void aPreprocessingPrefixAndAScalarStayFrozenWhileLayersTrain() {
    Map<String, String> v = verdicts(TrainingGraphs.preprocessedCnn(1));
    assertThat(v).containsOnly(
        Map.entry("pre.scale", "frozen: preprocessing prefix, at 'scale' (Mul -> s) before the first layer"),
        Map.entry("pre.offset", "frozen: preprocessing prefix, at 'shift' (Add -> x) before the first layer"),
        Map.entry("conv1.weight", "trains: parameter of 'conv1' (Conv -> c)"),
        Map.entry("conv1.bias", "trains: parameter of 'conv1' (Conv -> c)"),
        Map.entry("half", "frozen: single-element constant, at 'halve' (Mul -> h)"),
        Map.entry("fc.weight", "trains: parameter of 'fc' (Gemm -> logits)"),
        Map.entry("fc.bias", "trains: parameter of 'fc' (Gemm -> logits)"));
    assertThat(TrainableTensors.of(TrainingGraphs.preprocessedCnn(1).graph(), OpTable.standard()).trainableCount())
        .isEqualTo(4 * 27 + 4 + 1440 + 10);
  }

  @Test
  void aVitTrainsItsClassTokenAndPositionEmbeddingButNotItsMaskOrScalar() {
    Map<String, String> v = verdicts(TrainingGraphs.vitLike(1));
    assertThat(v).containsOnly(
        Map.entry("pre.scale", "frozen: preprocessing prefix, at 'scale' (Mul -> x) before the first layer"),
        Map.entry("patch.weight", "trains: parameter of 'patch' (Conv -> p)"),
        Map.entry("patch.bias", "trains: parameter of 'patch' (Conv -> p)"),
        Map.entry("cls_token", "trains: learned tensor entering after a layer, at 'prepend' (Concat -> ct)"),
        Map.entry("pos_embedding", "trains: learned tensor entering after a layer, at 'position' (Add -> e)"),
        Map.entry("attn.score", "trains: parameter of 'score' (MatMul -> s)"),
        Map.entry("sqrt_d", "frozen: single-element constant, at 'scaled' (Div -> sd)"),
        Map.entry("attn.mask", "frozen: attention mask, at 'masked' (Add -> sm) before a softmax"),
        Map.entry("head.weight", "trains: parameter of 'head' (Gemm -> logits)"),
        Map.entry("head.bias", "trains: parameter of 'head' (Gemm -> logits)"));
  }

  @Test
  void aLearnedBiasBeforeTheSoftmaxTrainsWhereAMaskWouldNot() {
    // swin's relative position bias, folded by the exporter into one constant added to the scores:
    // many distinct values, unlike a mask's two
    Graph g = TrainingGraphs.vitLike(1).graph();
    float[] bias = new float[81];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = (i % 7) * 0.1f - 0.3f;
    }
    Map<String, String> v = verdicts(Model.of(g.withInitializer("attn.mask", Tensor.of(bias, 9, 9))));
    assertThat(v.get("attn.mask")).isEqualTo("trains: learned tensor entering after a layer, at 'masked' (Add -> sm)");
  }

  @Test
  void nonFiniteConstantsAndUnusedOnesAreFrozen() {
    Graph g = TrainingGraphs.vitLike(1).graph();
    float[] mask = g.initializer("attn.mask").floatsCopy();
    mask[1] = Float.NEGATIVE_INFINITY;
    Graph withInf = g.withInitializer("attn.mask", Tensor.of(mask, 9, 9))
        .withInitializer("unused", Tensor.of(new float[] {1, 2}, 2));
    Map<String, String> v = verdicts(Model.of(withInf));
    assertThat(v.get("attn.mask")).isEqualTo("frozen: non-finite constant");
    assertThat(v.get("unused")).isEqualTo("frozen: not on the path from the inputs to the outputs");
  }

  @Test
  void batchNormTrainsItsScaleAndBiasNotItsStatistics() {
    Graph.Builder b = new Graph.Builder("bn");
    b.input(dev.condense.graph.ValueInfo.batched("input", 2, 4, 4));
    for (String p : new String[] {"bn.scale", "bn.bias", "bn.mean", "bn.var"}) {
      b.initializer(p, Tensor.of(new float[] {1, 1}, 2));
    }
    b.node(new dev.condense.graph.Node("bn", "BatchNormalization",
        java.util.List.of("input", "bn.scale", "bn.bias", "bn.mean", "bn.var"), java.util.List.of("y")));
    b.output(dev.condense.graph.ValueInfo.batched("y", 2, 4, 4));
    Map<String, String> v = verdicts(Model.of(b.build()));
    assertThat(v).containsOnly(
        Map.entry("bn.scale", "trains: parameter of 'bn' (BatchNormalization -> y)"),
        Map.entry("bn.bias", "trains: parameter of 'bn' (BatchNormalization -> y)"),
        Map.entry("bn.mean", "frozen: running statistic of 'bn' (BatchNormalization -> y)"),
        Map.entry("bn.var", "frozen: running statistic of 'bn' (BatchNormalization -> y)"));
  }
}
