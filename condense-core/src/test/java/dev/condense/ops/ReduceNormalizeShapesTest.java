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

/** Shape inference, folding and refusals of the reductions, normalisations, Split, Tile and Expand. */
class ReduceNormalizeShapesTest {

  /** The inferred type of {@code out} for one node reading float input x [2, 3, 4, 5] and the given initializers. */
  static ShapeInference.Result infer(Node n, Map<String, Tensor> init) {
    Graph.Builder b = new Graph.Builder("g").input(ValueInfo.batched("x", 3, 4, 5));
    init.forEach(b::initializer);
    b.node(n);
    b.output(new ValueInfo(n.output(0), DType.FLOAT, null));
    return ShapeInference.infer(b.build(), Map.of("x", ValueType.floats(2, 3, 4, 5)));
  }

  static Map<String, Attribute> ints(String k, long... v) {
    return Map.of(k, new Attribute.IntsAttr(v));
  }

  @Test
  void reductionsInBothAxesForms() {
    Node attr = new Node("mean", "ReduceMean", List.of("x"), List.of("y"),
        Map.of("axes", new Attribute.IntsAttr(new long[] {2, -1}), "keepdims", new Attribute.IntAttr(0)));
    assertThat(infer(attr, Map.of()).type("y")).isEqualTo(ValueType.floats(2, 3));
    Node input = new Node("sum", "ReduceSum", List.of("x", "axes"), List.of("y"));
    assertThat(infer(input, Map.of("axes", Tensor.ofLongs(new long[] {1}, 1))).type("y"))
        .isEqualTo(ValueType.floats(2, 1, 4, 5));
    Node all = new Node("max", "ReduceMax", List.of("x"), List.of("y"), Map.of("keepdims", new Attribute.IntAttr(0)));
    assertThat(infer(all, Map.of()).type("y").shape()).isEmpty();
    Node noop = new Node("l2", "ReduceL2", List.of("x", "axes"), List.of("y"), Map.of("noop_with_empty_axes", new Attribute.IntAttr(1)));
    assertThat(infer(noop, Map.of("axes", Tensor.ofLongs(new long[0], 0))).type("y")).isEqualTo(ValueType.floats(2, 3, 4, 5));
    Node twice = new Node("twice", "ReduceMin", List.of("x"), List.of("y"), ints("axes", 1, -3));
    assertThatThrownBy(() -> infer(twice, Map.of())).isInstanceOf(CondenseException.class)
        .hasMessageContaining("node 'twice'").hasMessageContaining("named twice");
    Node runtimeAxes = new Node("rt", "ReduceSum", List.of("x", "x"), List.of("y"));
    assertThatThrownBy(() -> infer(runtimeAxes, Map.of())).hasMessageContaining("node 'rt'").hasMessageContaining("must be a constant");
  }

  @Test
  void shapeValuesFoldAndArgMaxIsInt64() {
    // ReduceSum of an int64 shape value folds at load time, in its own type.
    Node n = new Node("sum", "ReduceSum", List.of("s"), List.of("y"), Map.of("keepdims", new Attribute.IntAttr(0)));
    ShapeInference.Result r = infer(n, Map.of("s", Tensor.ofLongs(new long[] {2, 3, 7}, 3)));
    assertThat(r.constants().get("y")).isEqualTo(Tensor.ofLongs(new long[] {12}));
    Node argMax = new Node("am", "ArgMax", List.of("x"), List.of("y"), Map.of("axis", new Attribute.IntAttr(1)));
    assertThat(infer(argMax, Map.of()).type("y")).isEqualTo(new ValueType(DType.INT64, new int[] {2, 1, 4, 5}));
    Node folded = new Node("am", "ArgMax", List.of("s"), List.of("y"), Map.of("keepdims", new Attribute.IntAttr(0)));
    assertThat(infer(folded, Map.of("s", Tensor.ofLongs(new long[] {4, 9, 9, 1}, 4))).constants().get("y"))
        .isEqualTo(Tensor.ofLongs(new long[] {1}));
  }

  @Test
  void normalizationsCheckTheirParameters() {
    Node ln = new Node("ln", "LayerNormalization", List.of("x", "w", "b"), List.of("y"), Map.of("axis", new Attribute.IntAttr(2)));
    Tensor w = Tensor.of(new float[20], 4, 5);
    assertThat(infer(ln, Map.of("w", w, "b", w)).type("y")).isEqualTo(ValueType.floats(2, 3, 4, 5));
    assertThatThrownBy(() -> infer(ln, Map.of("w", Tensor.of(new float[5], 5), "b", w)))
        .hasMessageContaining("node 'ln'").hasMessageContaining("Scale");
    Node in = new Node("in", "InstanceNormalization", List.of("x", "s", "b"), List.of("y"));
    Tensor c = Tensor.of(new float[3], 3);
    assertThat(infer(in, Map.of("s", c, "b", c)).type("y")).isEqualTo(ValueType.floats(2, 3, 4, 5));
    assertThatThrownBy(() -> infer(in, Map.of("s", Tensor.of(new float[4], 4), "b", c)))
        .hasMessageContaining("node 'in'").hasMessageContaining("3 channels");
  }

  @Test
  void splitTileAndExpandShapes() {
    Node split = new Node("split", "Split", List.of("x", "sizes"), List.of("a", "b"), Map.of("axis", new Attribute.IntAttr(-1)));
    ShapeInference.Result r = infer(split, Map.of("sizes", Tensor.ofLongs(new long[] {1, 4}, 2)));
    assertThat(r.type("b")).isEqualTo(ValueType.floats(2, 3, 4, 4));
    Node attr = new Node("split", "Split", List.of("x"), List.of("a", "b"), ints("split", 1, 1));
    assertThat(infer(attr, Map.of()).type("a")).isEqualTo(ValueType.floats(1, 3, 4, 5));
    Node uneven = new Node("uneven", "Split", List.of("x"), List.of("a", "b"), Map.of("axis", new Attribute.IntAttr(1)));
    assertThatThrownBy(() -> infer(uneven, Map.of())).hasMessageContaining("node 'uneven'").hasMessageContaining("equal parts");
    Node chunks = new Node("chunks", "Split", List.of("x"), List.of("a", "b"),
        Map.of("axis", new Attribute.IntAttr(1), "num_outputs", new Attribute.IntAttr(2)));
    assertThat(infer(chunks, Map.of()).type("b")).isEqualTo(ValueType.floats(2, 1, 4, 5));
    Node tile = new Node("tile", "Tile", List.of("x", "r"), List.of("y"));
    assertThat(infer(tile, Map.of("r", Tensor.ofLongs(new long[] {1, 2, 1, 3}, 4))).type("y"))
        .isEqualTo(ValueType.floats(2, 6, 4, 15));
    assertThatThrownBy(() -> infer(tile, Map.of("r", Tensor.ofLongs(new long[] {2}, 1)))).hasMessageContaining("node 'tile'");
    Node expand = new Node("expand", "Expand", List.of("x", "s"), List.of("y"));
    assertThat(infer(expand, Map.of("s", Tensor.ofLongs(new long[] {7, 1, 1, 1, 5}, 5))).type("y"))
        .isEqualTo(ValueType.floats(7, 2, 3, 4, 5));
    assertThatThrownBy(() -> infer(expand, Map.of("s", Tensor.ofLongs(new long[] {2, 6, 4, 5}, 4))))
        .hasMessageContaining("node 'expand'").hasMessageContaining("cannot be broadcast");
  }
}
