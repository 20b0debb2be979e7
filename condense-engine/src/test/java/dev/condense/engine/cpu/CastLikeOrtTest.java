package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.zoo.OrtReference;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CastLike (opset 15) in a graph, against ONNX Runtime: a float constant cast like an int64 one
 * (truncated) as a Reshape's shape, an int64 constant cast like a float one added to the data, and
 * the run-time data cast like a float (unchanged). ONNX's own CastLike node tests all read or
 * write float16, bfloat16 or double, which Condense refuses at the interface.
 */
class CastLikeOrtTest {

  @Test
  void castLikeFoldsConstantsAndPassesFloatsAsOnnxRuntime() throws Exception {
    Graph g = new Graph.Builder("castlike").input(ValueInfo.batched("x", 2, 3))
        .initializer("shape", Tensor.of(new float[] {-1.9f, 3.7f}, 2)) // truncated: [-1, 3]
        .initializer("int", Tensor.ofLongs(new long[] {0}, 1))
        .initializer("offsets", Tensor.ofLongs(new long[] {4, -2, 7}, 3))
        .initializer("float", Tensor.of(new float[] {0.5f}, 1))
        .node(new Node("to_int", "CastLike", List.of("shape", "int"), List.of("s")))
        .node(new Node("flat", "Reshape", List.of("x", "s"), List.of("r")))
        .node(new Node("to_float", "CastLike", List.of("offsets", "float"), List.of("o")))
        .node(new Node("same", "CastLike", List.of("r", "float"), List.of("f")))
        .node(new Node("add", "Add", List.of("f", "o"), List.of("y")))
        .output(ValueInfo.batched("y", 3))
        .build();
    Model m = new Model(g, 8, Map.of("", 15L), "test", "", "", Map.of());
    SplittableRandom r = new SplittableRandom(2);
    Tensor x = CentralDifference.random(r, 2, 2, 3);
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(m)) {
      Tensor y = s.run(Map.of("x", x)).get("y");
      assertThat(y.shape()).containsExactly(4, 3);
      assertThat(y.floats()).containsExactly(OrtReference.run(m, x));
    }
  }
}
