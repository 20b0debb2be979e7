package dev.condense.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attributes that make no sense, and small files whose load-time folding would allocate
 * gigabytes, are refused when the model is checked, in one line naming the node (issue 17 §2–3).
 */
class LoadLimitsTest {

  /** One node {@code op} on input x [1, 2, 4, 4] (plus {@code extra} initializers), output y. */
  private static Model single(String op, List<String> inputs, Map<String, Attribute> attrs, Map<String, Tensor> extra) {
    Graph.Builder b = new Graph.Builder("g").input(new ValueInfo("x", DType.FLOAT,
        List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(2), ValueInfo.Dim.of(4), ValueInfo.Dim.of(4))))
        .output(new ValueInfo("y", DType.FLOAT, null))
        .node(new Node("n", op, inputs, List.of("y"), attrs));
    extra.forEach(b::initializer);
    return Model.of(b.build());
  }

  private static void refused(Model m, String message) {
    assertThatThrownBy(() -> ModelChecker.check(m, "m.onnx")).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("m.onnx: node 'n' (").hasMessageContaining(message)
        .hasMessageNotContaining("\n");
  }

  private static Map<String, Attribute> ints(String name, long... v) {
    return Map.of(name, new Attribute.IntsAttr(v));
  }

  @Test
  void transposeWithAPermThatIsNoPermutation() {
    refused(single("Transpose", List.of("x"), ints("perm", 0, 1, 1, 2), Map.of()), "not a permutation");
    refused(single("Transpose", List.of("x"), ints("perm", 0, 1, 2, 9), Map.of()), "not a permutation");
  }

  private static Model pad(long... pads) {
    return single("Pad", List.of("x", "pads"), Map.of(), Map.of("pads", Tensor.ofLongs(pads, pads.length)));
  }

  @Test
  void padsThatOverflowOrLeaveNothingOrTooMuch() {
    refused(pad(0, 0, 0, 3_000_000_000L, 0, 0, 0, 0), "out of range");
    refused(pad(0, 0, -4, 0, 0, 0, 0, 0), "crops axis 2");
    refused(pad(0, 0, 0, 0, 0, 0, 1 << 30, 1 << 30), "more than 2^31 elements");
  }

  private static Model conv(Map<String, Attribute> attrs, int kernel) {
    return single("Conv", List.of("x", "w"), attrs, Map.of("w", Tensor.zeros(DType.FLOAT, 3, 2, kernel, kernel)));
  }

  @Test
  void convAndPoolGeometryNonsense() {
    refused(conv(ints("strides", 0, 1), 3), "must be ≥ 1");
    refused(conv(ints("dilations", -1, 1), 3), "must be ≥ 1");
    refused(conv(ints("strides", 1L << 40, 1), 3), "'strides' value 1099511627776 is out of range");
    refused(conv(ints("pads", 0, 0, -1, 0), 3), "negative pads");
    refused(conv(ints("pads", Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 0), 3), "too large");
    refused(conv(ints("dilations", Integer.MAX_VALUE, 1), 3), "does not fit");
    refused(conv(Map.of(), 5), "window of size 5 does not fit input size 4");
    refused(single("MaxPool", List.of("x"), ints("kernel_shape", 7, 7), Map.of()), "does not fit");
    refused(single("AveragePool", List.of("x"), Map.of("kernel_shape", new Attribute.IntsAttr(new long[] {2, 2}),
        "strides", new Attribute.IntsAttr(new long[] {0, 2})), Map.of()), "must be ≥ 1");
  }

  @Test
  void gemmTransposeFlagsAreZeroOrOne() {
    Model m = Model.of(new Graph.Builder("g").input(ValueInfo.batched("x", 4)).output(ValueInfo.batched("y", 3))
        .initializer("w", Tensor.zeros(DType.FLOAT, 3, 4))
        .node(new Node("n", "Gemm", List.of("x", "w"), List.of("y"), Map.of("transB", new Attribute.IntAttr(2))))
        .build());
    refused(m, "Gemm's transB is 2, expected 0 or 1");
  }

  @Test
  void axesOutOfRange() {
    refused(single("Softmax", List.of("x"), Map.of("axis", new Attribute.IntAttr(4)), Map.of()), "axis 4 out of range");
    refused(single("Flatten", List.of("x"), Map.of("axis", new Attribute.IntAttr(-5)), Map.of()), "axis -5 out of range");
    refused(single("Concat", List.of("x", "x"), Map.of("axis", new Attribute.IntAttr(7)), Map.of()), "axis 7 out of range");
  }

  @Test
  void aConstantOfShapeOfGigabytesIsRefusedBeforeAllocating() {
    Model m = single("ConstantOfShape", List.of("s"), Map.of(), Map.of("s", Tensor.ofLongs(new long[] {1L << 29}, 1)));
    refused(m, "ConstantOfShape computed at load time would make 536870912 elements");
    refused(single("ConstantOfShape", List.of("s"), Map.of(),
        Map.of("s", Tensor.ofLongs(new long[] {1L << 40, 1L << 40}, 2))), "more than 2^63 elements");
  }

  @Test
  void aRangeOfGigabytesIsRefusedBeforeAllocating() {
    Model m = single("Range", List.of("a", "b", "c"), Map.of(), Map.of("a", Tensor.ofLongs(new long[] {0}),
        "b", Tensor.ofLongs(new long[] {1L << 30}), "c", Tensor.ofLongs(new long[] {1})));
    refused(m, "Range computed at load time would make 1073741824 elements");
  }

  @Test
  void anExpandOfAConstantToGigabytesStaysANode() {
    Model m = Model.of(new Graph.Builder("g").input(ValueInfo.batched("x", 1)).output(new ValueInfo("y", DType.INT64, null))
        .initializer("v", Tensor.ofLongs(new long[] {7}, 1))
        .initializer("s", Tensor.ofLongs(new long[] {1L << 28}, 1))
        .node(new Node("n", "Expand", List.of("v", "s"), List.of("y"))).build());
    ShapeInference.Result r = ShapeInference.infer(m.graph(), Map.of());
    assertThat(r.type("y").shape()).containsExactly(1 << 28);
    assertThat(r.constants()).doesNotContainKey("y");
  }

  @Test
  void theFoldBoundFollowsAnExplicitMemoryLimit() {
    // 2^18 elements (2 MiB counted as int64): within the default 64 MiB floor, beyond a 1 MiB limit
    Model constant = single("ConstantOfShape", List.of("s"), Map.of(), Map.of("s", Tensor.ofLongs(new long[] {1 << 18}, 1)));
    ModelChecker.check(constant, "m.onnx");
    MemoryLimit small = MemoryLimit.of(1 << 20);
    assertThatThrownBy(() -> ModelChecker.check(constant, "m.onnx", small)).isInstanceOf(CondenseException.class)
        .hasMessage("m.onnx: node 'n' (ConstantOfShape -> y): ConstantOfShape computed at load time would make 262144 elements,"
            + " more than the 1.0 MiB left for constants computed at load within the memory limit");
    Model expand = Model.of(new Graph.Builder("g").input(ValueInfo.batched("x", 1)).output(new ValueInfo("y", DType.INT64, null))
        .initializer("v", Tensor.ofLongs(new long[] {7}, 1))
        .initializer("s", Tensor.ofLongs(new long[] {1 << 18}, 1))
        .node(new Node("n", "Expand", List.of("v", "s"), List.of("y"))).build());
    assertThat(ShapeInference.infer(OpTable.standard(), expand.graph(), Map.of(), Map.of(), small).constants())
        .as("an op that also runs at run time stays a node").doesNotContainKey("y");
    assertThat(ShapeInference.infer(expand.graph(), Map.of()).constants()).containsKey("y");
    // an explicit limit above the expansion rule lets a file fold more than 1024× its weights
    Model big = single("ConstantOfShape", List.of("s"), Map.of(), Map.of("s", Tensor.ofLongs(new long[] {9 << 20}, 1)));
    assertThatThrownBy(() -> ModelChecker.check(big, "m.onnx")).hasMessageContaining("1024× them, 64 MiB at least");
    ModelChecker.check(big, "m.onnx", MemoryLimit.of(80L << 20));
  }

  @Test
  void aSmallExpandOfAConstantIsStillFolded() {
    Model m = Model.of(new Graph.Builder("g").input(ValueInfo.batched("x", 1)).output(new ValueInfo("y", DType.INT64, null))
        .initializer("v", Tensor.ofLongs(new long[] {7}, 1))
        .initializer("s", Tensor.ofLongs(new long[] {3}, 1))
        .node(new Node("n", "Expand", List.of("v", "s"), List.of("y"))).build());
    assertThat(ShapeInference.infer(m.graph(), Map.of()).constants().get("y").toLongs()).containsExactly(7, 7, 7);
  }
}
