package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.ops.ChannelRule;
import dev.condense.ops.EngineKernels;
import dev.condense.ops.Kind;
import dev.condense.ops.NodeChecks;
import dev.condense.ops.Op;
import dev.condense.ops.OpTable;
import dev.condense.ops.UnaryMath;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An op the engine has never heard of — "Swish", x·sigmoid(x), which is in no ONNX opset — defined
 * in one class and registered in a table of its own, runs forward and backward through the
 * engine's element-wise kernel: its gradient agrees with central differences.
 */
class UserOpTest {

  static final class Swish implements Op, UnaryMath {
    @Override
    public String type() {
      return "Swish";
    }

    @Override
    public int since() {
      return 14;
    }

    @Override
    public Kind kind() {
      return Kind.ELEMENTWISE_UNARY;
    }

    @Override
    public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
      NodeChecks.requireInputs(n, in, 1, 1);
      return List.of(in.get(0));
    }

    @Override
    public ChannelRule channelRule() {
      return ChannelRule.PASS_THROUGH;
    }

    @Override
    public <K> K kernel(Node n, EngineKernels<K> kernels) {
      return kernels.unary(n, this);
    }

    @Override
    public float forward(float x) {
      return (float) swish(x);
    }

    @Override
    public float backward(float x, float y, float dy) {
      double s = 1 / (1 + Math.exp(-x));
      return (float) (dy * (s + x * s * (1 - s)));
    }
  }

  @Test
  void aUserActivationTrainsThroughTheEngine() {
    Swish op = new Swish();
    assertThat(OpTable.standard().find(op.type())).as("a user op, not a standard one").isNull();
    OpTable table = OpTable.standard().with(op);
    SplittableRandom r = new SplittableRandom(3);
    int n = 2 * 3 * 4 * 4;
    float[] x = new float[n];
    float[] dy = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 10 - 5);
      dy[i] = (float) (r.nextDouble() * 2 - 1);
    }
    Graph g = new Graph.Builder("swish")
        .initializer("x", Tensor.of(x.clone(), 2, 3, 4, 4))
        .node(new Node("swish", "Swish", List.of("x"), List.of("y")))
        .output(ValueInfo.batched("y", 3, 4, 4))
        .build();
    Map<String, float[]> weights = new HashMap<>(Map.of("x", x.clone()));
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(table, g, Map.of(), Map.of(), weights, grads, java.util.Set.of(), true, "y", false);
    try (Parallel par = new Parallel(2)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      plan.forward(ctx);
      float[] y = plan.buf("y").data.clone();
      System.arraycopy(dy, 0, plan.buf("y").grad, 0, n);
      plan.backward(ctx);
      float[] dx = grads.get("x");
      double h = 1e-3;
      for (int i = 0; i < n; i++) {
        assertThat(y[i]).isEqualTo(op.forward(x[i]));
        double central = (swish(x[i] + h) - swish(x[i] - h)) / (2 * h) * dy[i];
        assertThat((double) dx[i]).as("dx[%d] at x=%f", i, x[i]).isCloseTo(central, within(1e-3));
      }
    }
  }

  private static double swish(double x) {
    return x / (1 + Math.exp(-x));
  }
}
