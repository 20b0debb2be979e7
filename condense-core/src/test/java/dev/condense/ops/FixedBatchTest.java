package dev.condense.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where a batch-1 export's baked shapes carry the batch, decided by inference with a symbolic
 * batch: nn.MultiheadAttention's {@code [T, B·heads, d]}, {@code [T·B, E]}, {@code [T, B, E]}
 * (the shapes PyTorch 1.13 writes, run against ONNX Runtime in condense-engine's
 * AttentionExportsTest), and the refusals where the batch cannot be placed.
 */
class FixedBatchTest {

  private static ValueInfo fixed(String name, DType type, int... dims) {
    return new ValueInfo(name, type, java.util.Arrays.stream(dims).mapToObj(d -> ValueInfo.Dim.of(d)).toList());
  }

  private static Node reshape(String name, String in, String shape, String out) {
    return new Node(name, "Reshape", List.of(in, shape), List.of(out));
  }

  private static Node transpose(String name, String in, String out, long... perm) {
    return new Node(name, "Transpose", List.of(in), List.of(out), Map.of("perm", new Attribute.IntsAttr(perm)));
  }

  private static Tensor shape(long... v) {
    return Tensor.ofLongs(v, v.length);
  }

  @Test
  void attentionReshapesGetTheBatchInTheDimThatHoldsIt() {
    // x [B, T=6, E=4] -> [T, B, E] -> [T, B·2, 2] -> [B·2, T, 2], attention over T, back -> [T·B, E]
    // -> [T, B, E] -> [B, T, E]. Only B·2 in dim 1 keeps the scores [B·2, T, T] per sample.
    Graph g = new Graph.Builder("attention")
        .input(fixed("x", DType.FLOAT, 1, 6, 4))
        .initializer("heads", shape(6, 2, 2))
        .initializer("rows", shape(6, 4))
        .initializer("tbe", shape(6, 1, 4))
        .node(transpose("t0", "x", "a", 1, 0, 2))
        .node(reshape("split", "a", "heads", "b"))
        .node(transpose("t1", "b", "c", 1, 0, 2))
        .node(transpose("kt", "c", "k", 0, 2, 1))
        .node(new Node("scores", "MatMul", List.of("c", "k"), List.of("s")))
        .node(new Node("sm", "Softmax", List.of("s"), List.of("p"), Map.of("axis", new Attribute.IntAttr(-1))))
        .node(new Node("attend", "MatMul", List.of("p", "c"), List.of("d")))
        .node(transpose("t2", "d", "e", 1, 0, 2))
        .node(reshape("merge", "e", "rows", "f"))
        .node(reshape("unmerge", "f", "tbe", "h"))
        .node(transpose("t3", "h", "y", 1, 0, 2))
        .output(fixed("y", DType.FLOAT, 1, 6, 4))
        .build();
    FixedBatch.Freed freed = FixedBatch.free(OpTable.standard(), g);
    assertThat(freed.refusal()).isNull();
    Graph run = freed.at(3);
    ShapeInference.Result r = ShapeInference.infer(run, Map.of("x", new ValueType(DType.FLOAT, new int[] {3, 6, 4})));
    assertThat(r.type("y").shape()).containsExactly(3, 6, 4);
    assertThat(r.type("b").shape()).as("[T, B·heads, d]").containsExactly(6, 6, 2);
    assertThat(r.type("s").shape()).as("scores").containsExactly(6, 6, 6);
    assertThat(r.type("f").shape()).as("[T·B, E]").containsExactly(18, 4);
    assertThat(r.type("h").shape()).as("[T, B, E]").containsExactly(6, 3, 4);
    assertThat(run.inputs().get(0).dims().get(0).isFixed()).isFalse();
  }

  @Test
  void aClassTokenExpandedToTheBatchFollowsIt() {
    Graph g = new Graph.Builder("cls")
        .input(fixed("x", DType.FLOAT, 1, 3, 4))
        .initializer("cls", Tensor.of(new float[4], 1, 1, 4))
        .initializer("size", shape(1, 1, 1))
        .node(new Node("expand", "Expand", List.of("cls", "size"), List.of("c")))
        .node(new Node("cat", "Concat", List.of("c", "x"), List.of("y"), Map.of("axis", new Attribute.IntAttr(1))))
        .output(fixed("y", DType.FLOAT, 1, 4, 4))
        .build();
    Graph run = FixedBatch.free(OpTable.standard(), g).at(5);
    ShapeInference.Result r = ShapeInference.infer(run, Map.of("x", new ValueType(DType.FLOAT, new int[] {5, 3, 4})));
    assertThat(r.type("c").shape()).containsExactly(5, 1, 4);
    assertThat(r.type("y").shape()).containsExactly(5, 4, 4);
  }

  @Test
  void aReductionOverTheSamplesRunsOnlyAtTheDeclaredBatch() {
    Graph g = new Graph.Builder("sum")
        .input(fixed("x", DType.FLOAT, 1, 4))
        .initializer("axes", shape(0))
        .node(new Node("r", "ReduceSum", List.of("x", "axes"), List.of("y")))
        .output(fixed("y", DType.FLOAT, 1, 4))
        .build();
    FixedBatch.Freed freed = FixedBatch.free(OpTable.standard(), g);
    assertThat(freed.at(1)).isSameAs(g);
    assertThatThrownBy(() -> freed.at(3)).isInstanceOf(CondenseException.class)
        .hasMessage("the model was exported at batch 1 and runs only at it: node 'r' (ReduceSum -> y) combines "
            + "the samples of a batch");
  }

  @Test
  void aBatchThatCouldSitInTwoDimsIsRefusedNamingTheNode() {
    // [B, 4] -> [1, 1, 4]: B could be dim 0 or dim 1, and the Softmax over dim 1 would differ
    Graph g = new Graph.Builder("ambiguous")
        .input(fixed("x", DType.FLOAT, 1, 4))
        .initializer("up", shape(1, 1, 4))
        .initializer("down", shape(1, 4))
        .node(reshape("up", "x", "up", "a"))
        .node(new Node("sm", "Softmax", List.of("a"), List.of("b"), Map.of("axis", new Attribute.IntAttr(1))))
        .node(reshape("down", "b", "down", "y"))
        .output(fixed("y", DType.FLOAT, 1, 4))
        .build();
    assertThatThrownBy(() -> FixedBatch.free(OpTable.standard(), g).at(2)).isInstanceOf(CondenseException.class)
        .hasMessageContaining("node 'up' (Reshape -> a): which dim of its shape [1, 1, 4] is the batch cannot be decided");
  }

  @Test
  void tokenInputsDeclareTheBatchToo() {
    Graph g = new Graph.Builder("tokens")
        .input(fixed("ids", DType.INT64, 1, 8))
        .input(fixed("x", DType.FLOAT, 1, 3))
        .output(fixed("x", DType.FLOAT, 1, 3))
        .build();
    assertThat(FixedBatch.declared(g)).isEqualTo(1);
    Graph disagreeing = new Graph.Builder("tokens")
        .input(fixed("ids", DType.INT64, 2, 8))
        .input(fixed("x", DType.FLOAT, 1, 3))
        .output(fixed("x", DType.FLOAT, 1, 3))
        .build();
    assertThat(FixedBatch.declared(disagreeing)).isEqualTo(-1);
  }
}
