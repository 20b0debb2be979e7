package dev.condense.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
 * Shape inference, errors and constant folding of the element-wise ops of issue 13 §1, and the
 * error function against Python's math.erf / math.erfc (C library, float64).
 */
class ElementwiseOpsTest {

  private static ShapeInference.Result infer(Graph.Builder b) {
    return ShapeInference.infer(b.build(), Map.of());
  }

  @Test
  void variadicOpsBroadcastAllTheirInputs() {
    Graph.Builder b = new Graph.Builder("g")
        .input(ValueInfo.batched("x", 3, 1, 5))
        .initializer("a", Tensor.of(new float[4 * 5], 4, 5))
        .initializer("c", Tensor.of(new float[3 * 4 * 1], 3, 4, 1))
        .node(new Node("s", "Sum", List.of("x", "a", "c"), List.of("y")))
        .node(new Node("m", "Max", List.of("y"), List.of("z")))
        .output(ValueInfo.batched("z", 3, 4, 5));
    assertThat(infer(b).type("z").shape()).containsExactly(1, 3, 4, 5);
  }

  @Test
  void badInputsAreErrorsNamingTheNode() {
    Graph.Builder prelu = new Graph.Builder("g")
        .input(ValueInfo.batched("x", 3, 4, 4))
        .initializer("slope", Tensor.of(new float[5], 5, 1, 1))
        .node(new Node("p", "PRelu", List.of("x", "slope"), List.of("y")))
        .output(ValueInfo.batched("y", 3, 4, 4));
    assertThatThrownBy(() -> infer(prelu)).isInstanceOf(CondenseException.class).hasMessageContaining("node 'p'");
    Graph.Builder gelu = new Graph.Builder("g")
        .input(ValueInfo.batched("x", 3))
        .node(new Node("gl", "Gelu", List.of("x"), List.of("y"), Map.of("approximate", new Attribute.StringAttr("erf"))))
        .output(ValueInfo.batched("y", 3));
    assertThatThrownBy(() -> infer(gelu)).isInstanceOf(CondenseException.class)
        .hasMessage("node 'gl' (Gelu -> y): Gelu approximate='erf' is not one of 'none', 'tanh'");
    Graph.Builder mixed = new Graph.Builder("g")
        .input(ValueInfo.batched("x", 3))
        .initializer("i", Tensor.ofLongs(new long[] {1, 2, 3}, 3))
        .node(new Node("mx", "Max", List.of("x", "i"), List.of("y")))
        .output(ValueInfo.batched("y", 3));
    assertThatThrownBy(() -> infer(mixed)).isInstanceOf(CondenseException.class).hasMessageContaining("node 'mx'")
        .hasMessageContaining("different element types");
  }

  @Test
  void constantsFoldIntegerShapeValuesToo() {
    Graph.Builder b = new Graph.Builder("g")
        .input(ValueInfo.batched("x", 2))
        .initializer("s", Tensor.ofLongs(new long[] {4, -7}, 2))
        .initializer("t", Tensor.ofLongs(new long[] {5}, 1))
        .node(new Node("n", "Neg", List.of("s"), List.of("ns")))
        .node(new Node("m", "Max", List.of("ns", "t"), List.of("mx")))
        .node(new Node("c", "Constant", List.of(), List.of("k"), Map.of("value",
            new Attribute.TensorAttr(Tensor.of(new float[] {16f, 2.5f}, 2)))))
        .node(new Node("q", "Sqrt", List.of("k"), List.of("r")))
        .node(new Node("f", "Floor", List.of("r"), List.of("fl")))
        .node(new Node("p", "Pow", List.of("r", "r"), List.of("pw")))
        .node(new Node("add", "Add", List.of("x", "fl"), List.of("y")))
        .output(ValueInfo.batched("y", 2));
    Map<String, Tensor> c = infer(b).constants();
    assertThat(c.get("mx").dtype()).isEqualTo(DType.INT64);
    assertThat(c.get("mx").longs()).containsExactly(5, 7);
    assertThat(c.get("fl").floats()).containsExactly(4f, 1f);
    assertThat(c.get("pw").floats()[0]).isEqualTo(256f);
    assertThat((double) c.get("pw").floats()[1]).isCloseTo(Math.pow(Math.sqrt(2.5), Math.sqrt(2.5)), within(1e-6));
  }

  @Test
  void errorFunctionMatchesTheCLibrary() {
    // /usr/bin/python3 -c "import math; [print(x, repr(math.erf(x)), repr(math.erfc(x)))
    //     for x in [-3.5, -1.0, 0.1, 0.5, 1.9, 2.0, 3.0, 5.0, 10.0]]"
    double[][] ref = {
        {-3.5, -0.9999992569016276, 1.9999992569016276},
        {-1.0, -0.8427007929497149, 1.842700792949715},
        {0.1, 0.1124629160182849, 0.8875370839817152},
        {0.5, 0.5204998778130465, 0.4795001221869535},
        {1.9, 0.9927904292352575, 0.0072095707647425325},
        {2.0, 0.9953222650189527, 0.004677734981047265},
        {3.0, 0.9999779095030014, 2.2090496998585438e-05},
        {5.0, 0.9999999999984626, 1.5374597944280351e-12},
        {10.0, 1.0, 2.088487583762545e-45},
    };
    for (double[] r : ref) {
      assertThat(ErrorFunction.erf(r[0])).as("erf(%s)", r[0]).isCloseTo(r[1], within(2e-16 + 1e-15 * Math.abs(r[1])));
      assertThat(ErrorFunction.erfc(r[0])).as("erfc(%s)", r[0]).isCloseTo(r[2], within(1e-12 * r[2]));
    }
  }
}
