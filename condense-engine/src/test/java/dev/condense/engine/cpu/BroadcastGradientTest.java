package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Pow, PRelu, Sum, Mean, Max, Min and LogSoftmax through the engine with broadcast inputs: the
 * output against a float64 reference written here, and the gradient of every trained input
 * against central differences of that reference, for the loss Σ dy · y.
 */
class BroadcastGradientTest {
  private static final double H = 1e-4;
  private final SplittableRandom random = new SplittableRandom(13);

  /** The output of the op in double, from its inputs in double (shapes as given). */
  interface Reference extends Function<List<double[]>, double[]> {}

  @Test
  void powTrainsTheBaseAndARunTimeExponentButNotAConstantOne() {
    int[][] shapes = {{2, 3}, {3}};
    double[][] in = {uniform(6, 0.5, 2), uniform(3, -1.5, 2.5)};
    Reference pow = v -> combine(v, shapes, new int[] {2, 3}, Math::pow);
    check(node("Pow", Map.of()), shapes, in, new int[] {2, 3}, pow, true);
    check(node("Pow", Map.of()), shapes, in, new int[] {2, 3}, pow, false);
  }

  @Test
  void preluTrainsItsPerChannelSlope() {
    for (int[] slope : new int[][] {{3, 1, 1}, {1}}) {
      int[][] shapes = {{2, 3, 2, 2}, slope};
      double[][] in = {uniform(24, -2, 2), uniform(Tensor.checkedNumel(slope), 0.05, 0.5)};
      check(node("PRelu", Map.of()), shapes, in, new int[] {2, 3, 2, 2},
          v -> combine(v, shapes, new int[] {2, 3, 2, 2}, (x, s) -> x > 0 ? x : s * x), false);
    }
  }

  @Test
  void sumMeanMaxMinOfThreeBroadcastInputs() {
    int[][] shapes = {{2, 3}, {3}, {2, 1}};
    int[] out = {2, 3};
    double[][] in = {uniform(6, -2, 2), uniform(3, -2, 2), uniform(2, -2, 2)};
    check(node("Sum", Map.of()), shapes, in, out, v -> combine(v, shapes, out, Double::sum), false);
    check(node("Mean", Map.of()), shapes, in, out,
        v -> Arrays.stream(combine(v, shapes, out, Double::sum)).map(s -> s / 3).toArray(), false);
    check(node("Max", Map.of()), shapes, in, out, v -> combine(v, shapes, out, Math::max), false);
    check(node("Min", Map.of()), shapes, in, out, v -> combine(v, shapes, out, Math::min), false);
  }

  @Test
  void maxSplitsTheGradientOfATieEvenly() {
    float[] a = {1f, 2f, 3f};
    float[] b = {1f, 5f, 0f};
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("a", Tensor.of(a, 1, 3));
    in.put("b", Tensor.of(b, 1, 3));
    SingleNode run;
    try (Parallel par = new Parallel(2)) {
      run = new SingleNode(node("Max", Map.of()).withInputs(List.of("a", "b")), in, new int[] {1, 3},
          new float[] {1f, 1f, 1f}, new Blas(new JavaGemm()), par, 1);
    }
    assertThat(run.grads.get("a")).containsExactly(0.5f, 0f, 1f);
    assertThat(run.grads.get("b")).containsExactly(0.5f, 1f, 0f);
  }

  @Test
  void logSoftmaxAlongEachAxis() {
    int[] shape = {2, 3, 4};
    double[][] in = {uniform(24, -3, 3)};
    for (int axis : new int[] {-1, 0, 1}) {
      int a = axis < 0 ? axis + 3 : axis;
      check(node("LogSoftmax", Map.of("axis", new Attribute.IntAttr(axis))), new int[][] {shape}, in, shape,
          v -> logSoftmax(v.get(0), shape, a), false);
    }
  }

  // ---------------------------------------------------------------- the harness

  /**
   * Runs the node with its inputs as initializers (with {@code exponentAtRunTime}, input 1 reaches
   * it through an Identity, so it is a run-time value, not a constant) and compares.
   */
  private void check(Node node, int[][] shapes, double[][] in, int[] outShape, Reference ref, boolean exponentAtRunTime) {
    String[] names = new String[in.length];
    Graph.Builder b = new Graph.Builder("g");
    Map<String, float[]> weights = new HashMap<>();
    for (int i = 0; i < in.length; i++) {
      names[i] = "in" + i;
      float[] v = toFloats(in[i]);
      b.initializer(names[i], Tensor.of(v.clone(), shapes[i]));
      weights.put(names[i], v);
    }
    List<String> inputs = new java.util.ArrayList<>(Arrays.asList(names));
    if (exponentAtRunTime) {
      b.node(new Node("id", "Identity", List.of(names[1]), List.of("e")));
      inputs.set(1, "e");
    }
    b.node(node.withInputs(inputs));
    b.output(ValueInfo.batched("y", Arrays.copyOfRange(outShape, 1, outShape.length)));
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(b.build(), Map.of(), Map.of(), weights, grads, Set.of(), true, "y", false);
    double[] dy = uniform(Tensor.checkedNumel(outShape), -1, 1);
    // The reference sees the engine's inputs exactly (rounded to float).
    double[][] exact = new double[in.length][];
    for (int i = 0; i < in.length; i++) {
      exact[i] = toDoubles(toFloats(in[i]));
    }
    try (Parallel par = new Parallel(2)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      plan.forward(ctx);
      float[] y = plan.buf("y").data.clone();
      System.arraycopy(toFloats(dy), 0, plan.buf("y").grad, 0, dy.length);
      plan.backward(ctx);
      double[] expected = ref.apply(List.of(exact));
      for (int o = 0; o < y.length; o++) {
        assertThat((double) y[o]).as("%s output %d", node.opType(), o).isCloseTo(expected[o], within(1e-5 + 1e-5 * Math.abs(expected[o])));
      }
      for (int i = 0; i < in.length; i++) {
        boolean constantExponent = node.opType().equals("Pow") && i == 1 && !exponentAtRunTime;
        if (constantExponent) {
          assertThat(grads).as("a constant exponent is not trained").doesNotContainKey(names[i]);
          continue;
        }
        float[] g = grads.get(names[i]);
        for (int e = 0; e < exact[i].length; e++) {
          double keep = exact[i][e];
          exact[i][e] = keep + H;
          double up = dot(dy, ref.apply(List.of(exact)));
          exact[i][e] = keep - H;
          double down = dot(dy, ref.apply(List.of(exact)));
          exact[i][e] = keep;
          double central = (up - down) / (2 * H);
          assertThat((double) g[e]).as("%s d/d input %d [%d]", node.opType(), i, e)
              .isCloseTo(central, within(1e-4 + 1e-4 * Math.abs(central)));
        }
      }
    }
  }

  private static Node node(String op, Map<String, Attribute> attrs) {
    return new Node(op.toLowerCase(), op, List.of("in0"), List.of("y"), attrs);
  }

  /** Left fold of the broadcast inputs, element by element. */
  private static double[] combine(List<double[]> v, int[][] shapes, int[] out, java.util.function.DoubleBinaryOperator f) {
    int size = Tensor.checkedNumel(out);
    double[] r = new double[size];
    for (int o = 0; o < size; o++) {
      double acc = v.get(0)[source(o, shapes[0], out)];
      for (int k = 1; k < v.size(); k++) {
        acc = f.applyAsDouble(acc, v.get(k)[source(o, shapes[k], out)]);
      }
      r[o] = acc;
    }
    return r;
  }

  /** The element of a tensor of shape {@code in} that output element {@code o} reads under broadcasting. */
  private static int source(int o, int[] in, int[] out) {
    int src = 0;
    int stride = 1;
    for (int a = out.length - 1, j = in.length - 1; a >= 0; a--, j--) {
      int idx = o % out[a];
      o /= out[a];
      if (j >= 0) {
        src += (in[j] == 1 ? 0 : idx) * stride;
        stride *= in[j];
      }
    }
    return src;
  }

  private static double[] logSoftmax(double[] x, int[] shape, int axis) {
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= shape[i];
    }
    int n = shape[axis];
    int inner = x.length / (outer * n);
    double[] y = new double[x.length];
    for (int a = 0; a < outer; a++) {
      for (int t = 0; t < inner; t++) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
          sum += Math.exp(x[(a * n + j) * inner + t]);
        }
        for (int j = 0; j < n; j++) {
          y[(a * n + j) * inner + t] = x[(a * n + j) * inner + t] - Math.log(sum);
        }
      }
    }
    return y;
  }

  private double[] uniform(int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * random.nextDouble();
    }
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
