package dev.condense.engine.cpu;

import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.numeric.Blas;
import dev.condense.numeric.Parallel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one node through the engine's forward and backward passes with every input held as a
 * trainable initializer, so the test can read the gradient of every input for a given upstream
 * gradient.
 */
final class SingleNode {
  final Map<String, float[]> grads = new HashMap<>();
  final float[] output;

  /**
   * @param inputs the node's inputs by name, in slot order
   * @param upstream the gradient of the node's first output (null: forward only)
   */
  SingleNode(Node node, LinkedHashMap<String, Tensor> inputs, int[] outShape, float[] upstream,
      Blas blas, Parallel par, int repeats) {
    Graph.Builder b = new Graph.Builder("single");
    Map<String, float[]> weights = new LinkedHashMap<>();
    inputs.forEach((k, v) -> {
      b.initializer(k, v);
      if (v.dtype() == dev.condense.graph.DType.FLOAT) {
        weights.put(k, v.floatsCopy());
      }
    });
    b.node(node);
    b.output(ValueInfo.batched(node.output(0), java.util.Arrays.copyOfRange(outShape, 1, outShape.length)));
    Graph g = b.build();
    boolean training = upstream != null;
    Plan plan = new Plan(g, Map.of(), Map.of(), weights, grads, Set.of(), training, node.output(0), false);
    Ctx ctx = new Ctx(blas, par);
    float[] out = null;
    Map<String, float[]> lastGrads = null;
    for (int r = 0; r < repeats; r++) {
      plan.forward(ctx);
      if (training) {
        System.arraycopy(upstream, 0, plan.buf(node.output(0)).grad, 0, upstream.length);
        plan.backward(ctx);
      }
      float[] now = plan.buf(node.output(0)).data.clone();
      if (out != null && !java.util.Arrays.equals(out, now)) {
        throw new AssertionError("repeated call " + r + " gave a different output");
      }
      out = now;
      Map<String, float[]> snapshot = new HashMap<>();
      grads.forEach((k, v) -> snapshot.put(k, v.clone()));
      if (lastGrads != null) {
        for (String k : snapshot.keySet()) {
          if (!java.util.Arrays.equals(lastGrads.get(k), snapshot.get(k))) {
            throw new AssertionError("repeated call " + r + " gave a different gradient of " + k);
          }
        }
      }
      lastGrads = snapshot;
    }
    this.output = out;
  }

  static Node node(String op, List<String> in, Map<String, dev.condense.graph.Attribute> attrs) {
    return new Node(op.toLowerCase(), op, in, List.of("y"), attrs);
  }
}
