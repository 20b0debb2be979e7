package dev.condense.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Masks and codebooks as model annotations: checked against their tensors, carried by copies that keep them true. */
class AnnotationsTest {
  static final float A = 0.25f;
  static final float B = -0.5f;

  /** y = x · W with a 2×3 weight {@code w}. */
  static Model model(float... w) {
    Graph g = new Graph.Builder("tiny")
        .input(ValueInfo.batched("x", 2))
        .initializer("W", Tensor.of(w, 2, 3))
        .node(new Node("mm", "MatMul", List.of("x", "W"), List.of("y"), Map.of()))
        .output(ValueInfo.batched("y", 3))
        .build();
    return Model.of(g);
  }

  static WeightAnnotation.Mask mask(boolean... keep) {
    return new WeightAnnotation.Mask(keep);
  }

  @Test
  void anAnnotationThatDoesNotDescribeItsTensorIsRefused() {
    Model m = model(A, 0f, B, 0f, A, 0f);
    assertThatThrownBy(() -> m.withAnnotation("W", mask(false, false, true, true, true, true)))
        .isInstanceOf(CondenseException.class).hasMessageContaining("'W'").hasMessageContaining("pruned weight is not 0.0");
    assertThatThrownBy(() -> m.withAnnotation("W", mask(true, true)))
        .isInstanceOf(CondenseException.class).hasMessageContaining("describes 2 float weights");
    assertThatThrownBy(() -> m.withAnnotation("V", mask(true)))
        .isInstanceOf(CondenseException.class).hasMessageContaining("no such initializer");
    WeightAnnotation.Codebook wrong = new WeightAnnotation.Codebook(new float[] {A, B}, new int[] {0, -1, 1, -1, 1, -1});
    assertThatThrownBy(() -> m.withAnnotation("W", wrong)).hasMessageContaining("codebook does not decode");
    assertThatThrownBy(() -> new WeightAnnotation.Codebook(new float[] {A}, new int[] {1}))
        .hasMessageContaining("out of range");
    // The canonical constructor checks too: a model never holds an annotation that is false.
    assertThatThrownBy(() -> new Model(m.graph(), 8, Map.of("", 13L), "", "", "", Map.of(),
        new Annotations(Map.of("W", mask(false, true, true, true, true, true)), Map.of())))
        .hasMessageContaining("'W'");
  }

  @Test
  void aKeptWeightMayBeZeroAndTheMaskIsWhatTheModelSays() {
    Model m = model(A, 0f, B, 0f, A, 0f);
    WeightAnnotation.Mask keep = mask(true, true, true, false, true, false);
    Model a = m.withAnnotation("W", keep);
    assertThat(a.annotations().mask("W")).isSameAs(keep);
    assertThat(CompressionState.keep(a, "W")).containsExactly(true, true, true, false, true, false);
    assertThat(CompressionState.kept(a, "W")).isEqualTo(4);
    // Without the annotation, the zeros are all the model says.
    assertThat(CompressionState.keep(m, "W")).containsExactly(true, false, true, false, true, false);
  }

  @Test
  void copiesKeepTheAnnotationsThatStillHoldAndDropTheOthers() {
    WeightAnnotation.Codebook cb = new WeightAnnotation.Codebook(new float[] {B, A, 7f}, new int[] {1, -1, 0, -1, 1, -1});
    Model m = model(A, 0f, B, 0f, A, 0f).withAnnotation("W", mask(true, false, true, false, true, false))
        .withAnnotation("W", cb).withMetadata("k", "v");
    assertThat(m.annotations().codebook("W")).isSameAs(cb);
    assertThat(m.annotations().mask("W")).isNotNull();
    // Another weight value that keeps the zeros: the mask holds, the codebook does not.
    Model moved = m.withGraph(m.graph().withInitializer("W", Tensor.of(new float[] {1f, 0f, 2f, 0f, 3f, 0f}, 2, 3)));
    assertThat(moved.annotations().mask("W")).isNotNull();
    assertThat(moved.annotations().codebook("W")).isNull();
    // A pruned weight that became non-zero loses its mask.
    Model dense = moved.withGraph(moved.graph().withInitializer("W", Tensor.of(new float[] {1, 1, 1, 1, 1, 1}, 2, 3)));
    assertThat(dense.annotations().isEmpty()).isTrue();
    assertThat(m.withoutAnnotations().annotations().isEmpty()).isTrue();
  }

  @Test
  void aCodebookIsStoredInItsSortedDistinctUsedValues() {
    // Unsorted, one entry unused, two entries equal, and -0.0 bits differ from 0.0.
    WeightAnnotation.Codebook cb = new WeightAnnotation.Codebook(new float[] {A, 9f, B, A}, new int[] {0, -1, 2, 3, 3, -1});
    assertThat(cb.sortedValues(255)).containsExactly(B, A);
    assertThat(cb.sortedValues(1)).isNull();
    Model m = model(cb.decode()).withAnnotation("W", cb);
    assertThat(CompressionState.sortedCodebook(m, "W", 255))
        .containsExactly(CompressionState.sortedCodebook(m.withoutAnnotations(), "W", 255));
    assertThat(cb.holds(Tensor.of(new float[] {A, -0f, B, A, A, 0f}, 2, 3))).isFalse();
  }
}
