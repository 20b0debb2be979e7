package dev.condense.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DequantizeLinear-21's blocked form on int4 (ONNX Operators.md, DequantizeLinear-21: "blocked
 * quantization", scale of x's rank with ⌈x[axis]/block_size⌉ along the axis), computed by hand;
 * ONNX 1.12's node tests predate it, and {@code Int4QuantizerTest} checks the op against ONNX
 * Runtime 1.29 on whole models.
 */
class BlockedDequantizeTest {
  private static final Node DQ = new Node("dq", "DequantizeLinear", List.of("x", "s", "z"), List.of("y"),
      Map.of("axis", new Attribute.IntAttr(0), "block_size", new Attribute.IntAttr(2)));

  private static final Tensor X = Tensor.ofBytes(DType.INT4, new byte[] {-8, 7, 1, 2, -3, 0, 5, 5, -1, 0, 1, 2}, 4, 3);
  private static final Tensor ZERO = Tensor.ofBytes(DType.INT4, new byte[] {0, 1, -1, 2, 0, 0}, 2, 3);

  @Test
  void eachBlockOfTheAxisHasItsOwnScaleAndZeroPoint() {
    Tensor s = Tensor.of(new float[] {1f, 0.5f, 2f, 0.25f, 4f, 1f}, 2, 3);
    Tensor y = OpTable.standard().op(DQ).fold(DQ, List.of(X, s, ZERO));
    assertThat(y.shape()).containsExactly(4, 3);
    assertThat(y.floats()).containsExactly(-8f, 3f, 4f, 2f, -2f, 2f, 0.75f, 20f, -1f, -0.5f, 4f, 2f);
  }

  @Test
  void aScaleOfTheWrongShapeIsRefusedNamingTheNode() {
    Tensor s = Tensor.of(new float[] {1f, 0.5f, 2f}, 1, 3);
    assertThatThrownBy(() -> OpTable.standard().op(DQ).fold(DQ, List.of(X, s, Tensor.ofBytes(DType.INT4, new byte[3], 1, 3))))
        .isInstanceOf(CondenseException.class).hasMessageContaining("'dq'").hasMessageContaining("[2, 3]");
  }
}
