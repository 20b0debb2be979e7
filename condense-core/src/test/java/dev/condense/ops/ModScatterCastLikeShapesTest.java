package dev.condense.ops;

import static dev.condense.ops.ReduceNormalizeShapesTest.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shape inference, folding and refusals of Mod, ScatterND and CastLike. Expected values are the
 * ONNX spec's (Mod-10: fmod 0 takes the divisor's sign as Python's %, fmod 1 the dividend's as
 * C's fmod; ScatterND-16's reduction add), worked out here by hand.
 */
class ModScatterCastLikeShapesTest {
  private static final Tensor A = Tensor.ofLongs(new long[] {-4, 7, 5, 4, -7, 8}, 6);
  private static final Tensor B = Tensor.ofLongs(new long[] {2, -3, 8, -2, 3, 5}, 6);

  private static Node mod(long fmod, String a, String b) {
    return new Node("m", "Mod", List.of(a, b), List.of("y"), Map.of("fmod", new Attribute.IntAttr(fmod)));
  }

  @Test
  void integerModFollowsTheDivisorOrTheDividend() {
    // Python: [-4 % 2, 7 % -3, 5 % 8, 4 % -2, -7 % 3, 8 % 5] = [0, -2, 5, 0, 2, 3]
    assertThat(infer(mod(0, "a", "b"), Map.of("a", A, "b", B)).constants().get("y"))
        .isEqualTo(Tensor.ofLongs(new long[] {0, -2, 5, 0, 2, 3}, 6));
    // C fmod: [0, 1, 5, 0, -1, 3]
    assertThat(infer(mod(1, "a", "b"), Map.of("a", A, "b", B)).constants().get("y"))
        .isEqualTo(Tensor.ofLongs(new long[] {0, 1, 5, 0, -1, 3}, 6));
    // Broadcasting a scalar divisor, as swin's (H - shift) % window.
    ShapeInference.Result r = infer(mod(0, "a", "w"), Map.of("a", A, "w", Tensor.ofLongs(new long[] {7})));
    assertThat(r.constants().get("y")).isEqualTo(Tensor.ofLongs(new long[] {3, 0, 5, 4, 0, 1}, 6));
  }

  @Test
  void modRefusesFloatsWithoutFmodAndBadAttributes() {
    assertThatThrownBy(() -> infer(mod(0, "x", "x"), Map.of())).isInstanceOf(CondenseException.class)
        .hasMessageContaining("node 'm'").hasMessageContaining("fmod=1");
    assertThat(infer(mod(1, "x", "x"), Map.of()).type("y")).isEqualTo(ValueType.floats(2, 3, 4, 5));
    assertThatThrownBy(() -> infer(mod(2, "a", "b"), Map.of("a", A, "b", B)))
        .hasMessageContaining("node 'm'").hasMessageContaining("fmod attribute must be 0 or 1");
    assertThatThrownBy(() -> infer(mod(0, "a", "z"), Map.of("a", A, "z", Tensor.ofLongs(new long[] {0}))))
        .hasMessageContaining("node 'm'").hasMessageContaining("Mod by zero");
  }

  private static Node scatter(String reduction) {
    Map<String, Attribute> a = reduction == null ? Map.of() : Map.of("reduction", new Attribute.StringAttr(reduction));
    return new Node("s", "ScatterND", List.of("d", "i", "u"), List.of("y"), a);
  }

  @Test
  void scatterNdReplacesOrAddsSlicesAtConstantIndices() {
    Tensor data = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor rows = Tensor.ofLongs(new long[] {2, -3}, 2, 1); // rows 2 and 0 (negative counts from the end)
    Tensor updates = Tensor.of(new float[] {10, 20, 30, 40}, 2, 2);
    ShapeInference.Result none = infer(scatter(null), Map.of("d", data, "i", rows, "u", updates));
    assertThat(none.constants()).doesNotContainKey("y"); // a float initializer is a weight: not folded
    assertThat(none.type("y")).isEqualTo(ValueType.floats(3, 2));
    Tensor ints = Tensor.ofLongs(new long[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor elements = Tensor.ofLongs(new long[] {0, 1, 2, 0}, 2, 2); // elements [0,1] and [2,0]
    Tensor two = Tensor.ofLongs(new long[] {10, 20}, 2);
    assertThat(infer(scatter(null), Map.of("d", ints, "i", elements, "u", two)).constants().get("y"))
        .isEqualTo(Tensor.ofLongs(new long[] {1, 10, 3, 4, 20, 6}, 3, 2));
    assertThat(infer(scatter("add"), Map.of("d", ints, "i", elements, "u", two)).constants().get("y"))
        .isEqualTo(Tensor.ofLongs(new long[] {1, 12, 3, 4, 25, 6}, 3, 2));
    Tensor twice = Tensor.ofLongs(new long[] {1, 1}, 2, 1);
    Tensor rowUpdates = Tensor.ofLongs(new long[] {1, 1, 2, 2}, 2, 2);
    assertThat(infer(scatter("add"), Map.of("d", ints, "i", twice, "u", rowUpdates)).constants().get("y"))
        .isEqualTo(Tensor.ofLongs(new long[] {1, 2, 6, 7, 5, 6}, 3, 2));
  }

  @Test
  void scatterNdRefusesWhatItCannotComputeNamingTheNode() {
    Tensor ints = Tensor.ofLongs(new long[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor twice = Tensor.ofLongs(new long[] {1, 1}, 2, 1);
    Tensor rowUpdates = Tensor.ofLongs(new long[] {1, 1, 2, 2}, 2, 2);
    assertThatThrownBy(() -> infer(scatter(null), Map.of("d", ints, "i", twice, "u", rowUpdates)))
        .hasMessageContaining("node 's'").hasMessageContaining("duplicate indices");
    assertThatThrownBy(() -> infer(scatter("mul"), Map.of("d", ints, "i", twice, "u", rowUpdates)))
        .hasMessageContaining("node 's'").hasMessageContaining("reduction 'mul' is not supported");
    Tensor out = Tensor.ofLongs(new long[] {3}, 1, 1);
    Tensor oneRow = Tensor.ofLongs(new long[] {1, 1}, 1, 2);
    assertThatThrownBy(() -> infer(scatter(null), Map.of("d", ints, "i", out, "u", oneRow)))
        .hasMessageContaining("node 's'").hasMessageContaining("index 3 out of range for axis 0 of size 3");
    assertThatThrownBy(() -> infer(scatter(null), Map.of("d", ints, "i", twice, "u", Tensor.ofLongs(new long[3], 3))))
        .hasMessageContaining("node 's'").hasMessageContaining("expected shape [2, 2]");
    assertThatThrownBy(() -> infer(scatter(null), Map.of("d", ints, "i", Tensor.ofLongs(new long[3], 1, 3), "u", Tensor.ofLongs(new long[1], 1))))
        .hasMessageContaining("node 's'").hasMessageContaining("axis of length 1 to the data's rank 2");
  }

  @Test
  void castLikeTakesTheSecondInputsType() {
    Node n = new Node("c", "CastLike", List.of("a", "like"), List.of("y"));
    Tensor halves = Tensor.of(new float[] {2.7f, -1.5f}, 2);
    ShapeInference.Result toInt = infer(n, Map.of("a", halves, "like", Tensor.ofLongs(new long[] {0}, 1)));
    assertThat(toInt.constants().get("y")).isEqualTo(Tensor.ofLongs(new long[] {2, -1}, 2)); // truncation, as Cast
    ShapeInference.Result toFloat = infer(n, Map.of("a", Tensor.ofLongs(new long[] {3, -4}, 2), "like", halves));
    assertThat(toFloat.constants().get("y")).isEqualTo(Tensor.of(new float[] {3, -4}, 2));
    Node runTime = new Node("c", "CastLike", List.of("x", "like"), List.of("y"));
    assertThat(infer(runTime, Map.of("like", halves)).type("y")).isEqualTo(ValueType.floats(2, 3, 4, 5));
    assertThatThrownBy(() -> infer(runTime, Map.of("like", Tensor.ofLongs(new long[] {0}, 1))))
        .hasMessageContaining("node 'c'").hasMessageContaining("CastLike to INT64 of a run-time value is not supported");
    assertThat(infer(new Node("c", "CastLike", List.of("a", "x"), List.of("y")), Map.of("a", A)).type("y"))
        .isEqualTo(new ValueType(DType.FLOAT, new int[] {6}));
  }
}
