package dev.condense.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.zoo.Zoo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DeadNeuronsTest {
  static final CpuEngine ENGINE = new CpuEngine(2);

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  static Model zero(Model m, String weight, int axis, int... idx) {
    Tensor t = m.graph().initializer(weight);
    float[] d = t.floatsCopy();
    int[] s = t.shape();
    int inner = 1;
    for (int i = axis + 1; i < s.length; i++) {
      inner *= s[i];
    }
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= s[i];
    }
    for (int o = 0; o < outer; o++) {
      for (int j : idx) {
        for (int i = 0; i < inner; i++) {
          d[(o * s[axis] + j) * inner + i] = 0f;
        }
      }
    }
    return m.withGraph(m.graph().withInitializer(weight, Tensor.of(d, s)));
  }

  static float[] run(Model m, float[] x, int... shape) {
    try (Session s = ENGINE.open(m)) {
      return s.run(Map.of("input", Tensor.of(x, shape))).values().iterator().next().floats();
    }
  }

  @Test
  void unitsWithoutOutputsOrInputsGoAndOutputsStayTheSame() {
    Model m = Zoo.create("lenet-5", 4);
    m = zero(m, "ip2.weight", 1, 3, 77, 499);      // ip1 neurons 3, 77, 499: no outputs
    m = zero(m, "ip1.weight", 0, 10, 11);          // ip1 neurons 10, 11: no inputs (bias folds)
    m = zero(m, "conv2.weight", 1, 5);             // conv1 channel 5: no outputs
    m = zero(m, "conv2.weight", 0, 7);             // conv2 channel 7: no inputs (constant plane)
    DeadNeurons.Result r = DeadNeurons.remove(m);
    assertThat(r.removed()).containsEntry("ip1", 5).containsEntry("conv1", 1).containsEntry("conv2", 1);
    assertThat(r.model().graph().initializer("ip1.weight").shape()).containsExactly(495, 784);
    assertThat(r.model().graph().initializer("conv2.weight").shape()).containsExactly(49, 19, 5, 5);
    float[] x = new float[3 * 784];
    Random rnd = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    float[] before = run(m, x, 3, 1, 28, 28);
    float[] after = run(r.model(), x, 3, 1, 28, 28);
    for (int i = 0; i < before.length; i++) {
      assertThat(after[i]).isCloseTo(before[i], org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  @Test
  void dropoutRateShrinksWithTheSquareRootOfTheConnectionsLeft() {
    Graph.Builder b = new Graph.Builder("drop");
    b.input(ValueInfo.batched("input", 8));
    b.initializer("fc.weight", Tensor.of(new float[32], 4, 8));
    float[] w = new float[32];
    java.util.Arrays.fill(w, 1f);
    b.initializer("fc.bias", Tensor.of(new float[4], 4));
    b.initializer("ratio", Tensor.of(new float[] {0.5f}));
    b.node(new Node("fc", "Gemm", List.of("input", "fc.weight", "fc.bias"), List.of("h"), Map.of("transB", new Attribute.IntAttr(1))));
    b.node(new Node("relu", "Relu", List.of("h"), List.of("r")));
    b.node(new Node("drop", "Dropout", List.of("r", "ratio"), List.of("y")));
    b.output(ValueInfo.batched("y", 4));
    Model dense = Model.of(b.build()).withGraph(Model.of(b.build()).graph().withInitializer("fc.weight", Tensor.of(w, 4, 8)));
    float[] quarter = new float[32];
    for (int i = 0; i < 32; i += 4) {
      quarter[i] = 1f;
    }
    Model pruned = dense.withGraph(dense.graph().withInitializer("fc.weight", Tensor.of(quarter, 4, 8)));
    Map.Entry<Model, List<DropoutAdjustment.Change>> r = DropoutAdjustment.apply(dense, pruned);
    assertThat(r.getValue()).hasSize(1);
    assertThat(r.getValue().get(0).adjusted()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.getKey().graph().initializer("ratio").floats()[0]).isEqualTo(0.25f);
  }
}
