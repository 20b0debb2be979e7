package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Constraints;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.zoo.NetBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training ties a weight read by several nodes, as PyTorch's exporter writes a deduplicated
 * initializer (through Identity, or read directly): it is one parameter and takes one gradient,
 * the sum of its readers'. Checked against the same network with the tensor untied into copies:
 * one plain SGD step (no momentum, no decay) moves the tied tensor by the sum of the copies' moves.
 */
class SharedWeightTrainingTest {
  static final DataSplit DATA = DataSources.resolve("mnist", 16);
  static final TrainConfig STEP = new TrainConfig(1, 16, 0.1, 0, 0, new LrSchedule.Constant(), 7);

  /** c0 → Relu → c1 → Relu → c2 → Relu → GAP → fc, where c2 starts with c1's weight and bias. */
  static Model untied() {
    NetBuilder b = new NetBuilder("tied", "input", new int[] {1, 28, 28}, 21);
    String x = b.relu("r0", b.conv("c0", "input", 4, 3, 2, 1));
    String y = b.relu("r1", b.conv("c1", x, 4, 3, 1, 1));
    String z = b.relu("r2", b.conv("c2", y, 4, 3, 1, 1));
    Model m = Model.of(b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", z)), 10), 10));
    Graph g = m.graph().withInitializer("c2.weight", m.graph().initializer("c1.weight"))
        .withInitializer("c2.bias", m.graph().initializer("c1.bias"));
    return m.withGraph(g);
  }

  /** The same network with c2 reading c1's weight through an Identity node and c1's bias directly. */
  static Model tied(Model untied) {
    Graph g = untied.graph();
    List<Node> nodes = new ArrayList<>();
    nodes.add(new Node("dedup", "Identity", List.of("c1.weight"), List.of("onnx::Conv_7")));
    for (Node n : g.nodes()) {
      nodes.add(n.name().equals("c2") ? n.withInputs(List.of(n.input(0), "onnx::Conv_7", "c1.bias")) : n);
    }
    java.util.Map<String, Tensor> init = new java.util.LinkedHashMap<>(g.initializers());
    init.remove("c2.weight");
    init.remove("c2.bias");
    return untied.withGraph(g.withNodes(nodes).withInitializers(init));
  }

  static Model trainOneStep(Model m) {
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(m)) {
      s.train(DATA.train(), STEP, Constraints.NONE, null, Progress.NONE);
      return s.export();
    }
  }

  @Test
  void aSharedWeightTakesTheSumOfItsReadersGradients() {
    Model before = untied();
    Model copies = trainOneStep(before);
    Model shared = trainOneStep(tied(before));
    assertThat(shared.graph().initializer("c2.weight")).isNull();
    for (String w : List.of("c1.weight", "c1.bias")) {
      float[] w0 = before.graph().initializer(w).floats();
      float[] a = copies.graph().initializer(w).floats();
      float[] b = copies.graph().initializer(w.replace("c1", "c2")).floats();
      float[] tiedNow = shared.graph().initializer(w).floats();
      double moved = 0;
      for (int i = 0; i < w0.length; i++) {
        // w − lr·(g1 + g2) = (w − lr·g1) + (w − lr·g2) − w
        float expected = a[i] + b[i] - w0[i];
        assertThat(tiedNow[i]).as("%s[%d]", w, i).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5f));
        moved += Math.abs(b[i] - w0[i]);
      }
      assertThat(moved).as("the second reader's gradient of " + w).isGreaterThan(1e-4);
    }
  }
}
