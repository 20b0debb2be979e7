package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * QuantizeLinear → DequantizeLinear on a trainable value (fake quantization): per-axis rounding
 * half to even and saturation as ONNX specifies (the node tests check the ops alone), and the
 * straight-through gradient — unchanged where the value is representable, zero where it saturated.
 */
class QuantizeKernelTest {

  /** x [1, 2, 4]; channel 0 scale 0.5 zero point 10, channel 1 scale 2 zero point 0 (uint8). */
  private static Graph fakeQuant() {
    Graph.Builder b = new Graph.Builder("qdq");
    b.initializer("x", Tensor.of(new float[] {1.25f, 1.75f, -6f, 200f, 5f, 7f, -1f, 600f}, 1, 2, 4));
    b.initializer("s", Tensor.of(new float[] {0.5f, 2f}, 2));
    b.initializer("zp", Tensor.ofBytes(DType.UINT8, new byte[] {10, 0}, 2));
    Map<String, Attribute> axis = Map.of("axis", new Attribute.IntAttr(1));
    b.node(new Node("q", "QuantizeLinear", List.of("x", "s", "zp"), List.of("xq"), axis));
    b.node(new Node("dq", "DequantizeLinear", List.of("xq", "s", "zp"), List.of("y"), axis));
    b.output(ValueInfo.batched("y", 2, 4));
    return b.build();
  }

  @Test
  void fakeQuantizationRoundsHalfToEvenSaturatesAndPassesTheGradientInsideTheRange() {
    Graph g = fakeQuant();
    Map<String, float[]> weights = new LinkedHashMap<>();
    weights.put("x", g.initializer("x").floatsCopy());
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(g, Map.of(), Map.of(), weights, grads, Set.of(), true, "y", false);
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      plan.forward(ctx);
    // x/s = 2.5 → 2, 3.5 → 4 (half to even); -12 + 10 saturates at 0; 400 + 10 at 255;
    // 2.5 → 2, 3.5 → 4, -0.5 → -0 (even), 300 saturates at 255.
    assertThat(plan.value("xq").toLongs()).containsExactly(12, 14, 0, 255, 2, 4, 0, 255);
    assertThat(plan.value("xq").dtype()).isEqualTo(DType.UINT8);
    assertThat(plan.buf("y").data).containsExactly(1f, 2f, -5f, 122.5f, 4f, 8f, 0f, 510f);
    float[] dy = {1, 2, 3, 4, 5, 6, 7, 8};
    System.arraycopy(dy, 0, plan.buf("y").grad, 0, dy.length);
      plan.backward(ctx);
    }
    assertThat(grads.get("x")).containsExactly(1f, 2f, 0f, 0f, 5f, 6f, 7f, 0f);
  }

  @Test
  void aScaleThatIsNotPositiveIsRefusedNamingTheNode() {
    Graph g = fakeQuant().withInitializer("s", Tensor.of(new float[] {0.5f, 0f}, 2));
    assertThatThrownBy(() -> new Plan(g, Map.of(), Map.of(), Map.of("x", g.initializer("x").floatsCopy()),
        new HashMap<>(), Set.of(), false, "y", false))
        .isInstanceOf(CondenseException.class).hasMessageContaining("node 'q'").hasMessageContaining("not a positive");
  }
}
