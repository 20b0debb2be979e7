package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.SoftmaxCrossEntropy;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import dev.condense.ops.OpTable;
import dev.condense.ops.RunTimeIndices;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Token ids that pass a Transpose before the embedding (PyTorch's {@code tokens.transpose(0, 1)}
 * for a sequence-first encoder) still run as run-time values and train the table: the graph gives
 * the same logits and table gradient as the one that transposes after the lookup.
 */
class TransposedTokensTest {
  private static final int B = 3;
  private static final int T = 4;
  private static final int V = 11;
  private static final int D = 5;
  private static final int K = 2;

  private static Graph graph(boolean transposeIds, Tensor table, Tensor w) {
    ValueInfo ids = new ValueInfo("ids", DType.INT64, List.of(ValueInfo.Dim.symbol("batch"), ValueInfo.Dim.of(T)));
    Graph.Builder b = new Graph.Builder("g").input(ids).initializer("table", table).initializer("w", w)
        .output(new ValueInfo("logits", DType.FLOAT, null));
    if (transposeIds) {
      b.node(new Node("t", "Transpose", List.of("ids"), List.of("ids_t"), Map.of("perm", new Attribute.IntsAttr(new long[] {1, 0}))))
          .node(new Node("emb", "Gather", List.of("table", "ids_t"), List.of("e")))
          .node(new Node("mean", "ReduceMean", List.of("e"), List.of("m"),
              Map.of("axes", new Attribute.IntsAttr(new long[] {0}), "keepdims", new Attribute.IntAttr(0))));
    } else {
      b.node(new Node("emb", "Gather", List.of("table", "ids"), List.of("e")))
          .node(new Node("mean", "ReduceMean", List.of("e"), List.of("m"),
              Map.of("axes", new Attribute.IntsAttr(new long[] {1}), "keepdims", new Attribute.IntAttr(0))));
    }
    return b.node(new Node("fc", "Gemm", List.of("m", "w"), List.of("logits"))).build();
  }

  /** The logits and the table's gradient after one forward and backward pass. */
  private static float[][] step(Graph g, long[] tokens, int[] labels) {
    Map<String, float[]> weights = new HashMap<>();
    weights.put("table", g.initializer("table").floatsCopy());
    weights.put("w", g.initializer("w").floatsCopy());
    Map<String, float[]> grads = new HashMap<>();
    Map<String, ValueType> types = Map.of("ids", new ValueType(DType.INT64, new int[] {B, T}));
    assertThat(RunTimeIndices.inputs(OpTable.standard(), g, types)).as("run-time token ids").isEqualTo(Set.of("ids"));
    Plan plan = new Plan(g, types, Map.of(), weights, grads, Set.of(), true, "logits", false);
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      for (int i = 0; i < tokens.length; i++) {
        plan.buf("ids").data[i] = tokens[i];
      }
      plan.forward(ctx);
      Buf logits = plan.buf("logits");
      SoftmaxCrossEntropy.apply(logits.data, B, K, labels, null, 0, logits.grad);
      plan.backward(ctx);
      return new float[][] {logits.data.clone(), grads.get("table").clone()};
    }
  }

  @Test
  void idsTransposedBeforeTheLookupTrainTheTableAsIdsTransposedAfter() {
    SplittableRandom rnd = new SplittableRandom(5);
    float[] table = new float[V * D];
    float[] w = new float[D * K];
    for (int i = 0; i < table.length; i++) {
      table[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rnd.nextGaussian();
    }
    long[] tokens = new long[B * T];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = rnd.nextInt(V);
    }
    int[] labels = {0, 1, 1};
    Tensor tt = Tensor.of(table, V, D);
    Tensor wt = Tensor.of(w, D, K);
    float[][] transposed = step(graph(true, tt, wt), tokens, labels);
    float[][] plain = step(graph(false, tt, wt), tokens, labels);
    assertThat(transposed[0]).containsExactly(plain[0], org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(transposed[1]).containsExactly(plain[1], org.assertj.core.data.Offset.offset(1e-6f));
    double norm = 0;
    for (float g : plain[1]) {
      norm += Math.abs(g);
    }
    assertThat(norm).as("the table gets a gradient").isGreaterThan(0);
  }
}
