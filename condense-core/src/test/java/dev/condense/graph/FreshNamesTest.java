package dev.condense.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Names handed out are never a node's, a value's, an initializer's or a graph input's or output's, nor repeated. */
class FreshNamesTest {
  private static Graph graph() {
    Graph.Builder b = new Graph.Builder("g");
    b.input(ValueInfo.batched("q0", 4));
    b.initializer("q2", Tensor.of(new float[] {1, 2, 3, 4}, 4));
    b.node(new Node("q3", "Add", List.of("q0", "q2"), List.of("x")));
    b.node(new Node("relu", "Relu", List.of("x"), List.of("x_1")));
    b.output(ValueInfo.batched("x_1", 4));
    return b.build();
  }

  @Test
  void countersSkipTheGraphsNamesAndEachKindCountsOnItsOwn() {
    FreshNames names = FreshNames.of(graph());
    assertThat(List.of(names.next("q"), names.next("q"), names.next("q"), names.next("s"), names.next("q")))
        .containsExactly("q1", "q4", "q5", "s0", "q6");
  }

  @Test
  void aHintIsKeptWhenFreeElseSuffixed() {
    FreshNames names = FreshNames.of(graph());
    assertThat(List.of(names.fresh("y"), names.fresh("x"), names.fresh("y"), names.fresh("relu")))
        .containsExactly("y", "x_2", "y_1", "relu_1");
  }

  @Test
  void theSameGraphAndCallsGiveTheSameNames() {
    FreshNames a = FreshNames.of(graph());
    FreshNames b = FreshNames.of(graph());
    for (int i = 0; i < 5; i++) {
      assertThat(a.next("d")).isEqualTo(b.next("d"));
    }
  }
}
