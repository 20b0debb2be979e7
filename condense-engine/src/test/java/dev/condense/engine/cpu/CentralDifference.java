package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.DType;
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

/**
 * Checks a small graph's engine forward pass against a float64 reference of it, and its backward
 * pass against central differences of that reference: for a random upstream gradient dy, the
 * engine's gradient of every float input must equal d(sum dy·ref(x))/dx computed in double.
 */
final class CentralDifference {
  /** The float64 reference: the graph's output from its inputs (by name). */
  @FunctionalInterface
  interface Reference {
    double[] apply(Map<String, double[]> inputs);
  }

  private CentralDifference() {}

  /** Every input is held as a trainable initializer; the graph's one output is {@code output} of {@code outShape}. */
  static void check(List<Node> nodes, LinkedHashMap<String, Tensor> inputs, String output, int[] outShape,
      Reference ref, long seed) {
    Graph.Builder b = new Graph.Builder("check");
    Map<String, float[]> weights = new LinkedHashMap<>();
    Map<String, double[]> x64 = new LinkedHashMap<>();
    inputs.forEach((k, v) -> {
      b.initializer(k, v);
      if (v.dtype() == DType.FLOAT) {
        weights.put(k, v.floatsCopy());
        x64.put(k, toDouble(v.floats()));
      }
    });
    nodes.forEach(b::node);
    b.output(ValueInfo.batched(output, Arrays.copyOfRange(outShape, 1, outShape.length)));
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(b.build(), Map.of(), Map.of(), weights, grads, Set.of(), true, output, false);
    SplittableRandom r = new SplittableRandom(seed);
    double[] expected = ref.apply(x64);
    float[] dy = new float[expected.length];
    for (int i = 0; i < dy.length; i++) {
      dy[i] = (float) (r.nextDouble() * 2 - 1);
    }
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      plan.forward(ctx);
      Close.check("forward", plan.buf(output).data, expected, 1e-5);
      System.arraycopy(dy, 0, plan.buf(output).grad, 0, dy.length);
      plan.backward(ctx);
    }
    double h = 1e-5;
    for (Map.Entry<String, double[]> e : x64.entrySet()) {
      double[] x = e.getValue();
      float[] g = grads.get(e.getKey());
      assertThat(g).as("gradient of %s", e.getKey()).isNotNull();
      for (int i = 0; i < x.length; i++) {
        double keep = x[i];
        x[i] = keep + h;
        double up = dot(dy, ref.apply(x64));
        x[i] = keep - h;
        double down = dot(dy, ref.apply(x64));
        x[i] = keep;
        double central = (up - down) / (2 * h);
        assertThat((double) g[i]).as("d/d%s[%d]", e.getKey(), i)
            .isCloseTo(central, org.assertj.core.data.Offset.offset(2e-4 + 1e-3 * Math.abs(central)));
      }
    }
  }

  static Tensor random(SplittableRandom r, int... shape) {
    float[] v = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 4 - 2);
    }
    return Tensor.of(v, shape);
  }

  static double dot(float[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
