package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.zoo.OrtReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mod and ScatterND on run-time float values: forward against a float64 loop of the spec
 * (Mod-10 with fmod 1: a − trunc(a / b)·b; ScatterND-16: data with indexed slices replaced or
 * added to) and ONNX Runtime, backward against central differences of that loop (d/da = 1,
 * d/db = −trunc(a / b); the data's gradient zero where overwritten, the updates' gathered).
 */
class ModScatterGradientTest {

  @Test
  void floatModBroadcastsAndDifferentiatesBothInputs() {
    // a = k·b + r with r well inside (0, |b|): no jump of trunc(a / b) within the differences' step
    float[] b = {1.3f, -0.7f, 2.1f};
    float[] a = new float[6];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < a.length; i++) {
      float d = b[i % 3];
      long k = r.nextInt(7) - 3;
      float rest = (float) (Math.abs(d) * (0.2 + 0.6 * r.nextDouble()));
      a[i] = k * d + (k * d < 0 ? -rest : rest);
    }
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("a", Tensor.of(a, 2, 3));
    in.put("b", Tensor.of(b, 3));
    Node mod = new Node("mod", "Mod", List.of("a", "b"), List.of("y"), Map.of("fmod", new Attribute.IntAttr(1)));
    CentralDifference.check(List.of(mod), in, "y", new int[] {2, 3}, x -> {
      double[] y = new double[6];
      for (int i = 0; i < 6; i++) {
        double p = x.get("a")[i];
        double q = x.get("b")[i % 3];
        double t = p / q;
        y[i] = p - (t < 0 ? Math.ceil(t) : Math.floor(t)) * q;
      }
      return y;
    }, 11);
  }

  private static Node scatter(String reduction) {
    return new Node("scatter", "ScatterND", List.of("d", "i", "u"), List.of("y"),
        Map.of("reduction", new Attribute.StringAttr(reduction)));
  }

  /** Data [2, 3, 4] with the rows [1, 2] and [0, 0] (index tuples of length 2) taken by updates [2, 4]. */
  private static LinkedHashMap<String, Tensor> scatterInputs(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("d", CentralDifference.random(r, 2, 3, 4));
    in.put("i", Tensor.ofLongs(new long[] {1, 2, 0, 0}, 2, 2));
    in.put("u", CentralDifference.random(r, 2, 4));
    return in;
  }

  private static double[] scatterReference(Map<String, double[]> x, boolean add) {
    double[] y = x.get("d").clone();
    int[] rows = {(1 * 3 + 2) * 4, 0};
    for (int j = 0; j < 2; j++) {
      for (int t = 0; t < 4; t++) {
        y[rows[j] + t] = (add ? y[rows[j] + t] : 0) + x.get("u")[j * 4 + t];
      }
    }
    return y;
  }

  @Test
  void scatterNdReplacesSlicesAndSendsTheirGradientToTheUpdates() {
    CentralDifference.check(List.of(scatter("none")), scatterInputs(5), "y", new int[] {2, 3, 4},
        x -> scatterReference(x, false), 13);
  }

  @Test
  void scatterNdAddsSlicesAndPassesTheGradientToBoth() {
    CentralDifference.check(List.of(scatter("add")), scatterInputs(6), "y", new int[] {2, 3, 4},
        x -> scatterReference(x, true), 17);
  }

  /** Rows 0 and 2 of x [1, 3, 4] replaced by a learned [2, 4] table, then Mod of a constant divisor: against ONNX Runtime. */
  @Test
  void runTimeScatterAndModMatchOnnxRuntime() throws Exception {
    SplittableRandom r = new SplittableRandom(21);
    Graph g = new Graph.Builder("scatter-mod").input(ValueInfo.batched("x", 3, 4))
        .initializer("i", Tensor.ofLongs(new long[] {0, 2, 0, 0}, 2, 2))
        .initializer("u", CentralDifference.random(r, 2, 4))
        .initializer("m", Tensor.of(new float[] {0.7f, -1.1f, 1.9f, 0.4f}, 4))
        .node(new Node("scatter", "ScatterND", List.of("x", "i", "u"), List.of("s")))
        .node(new Node("mod", "Mod", List.of("s", "m"), List.of("y"), Map.of("fmod", new Attribute.IntAttr(1))))
        .output(ValueInfo.batched("y", 3, 4))
        .build();
    Model m = new Model(g, 8, Map.of("", 16L), "test", "", "", Map.of());
    Tensor x = CentralDifference.random(r, 1, 3, 4);
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(m)) {
      float[] ours = s.run(Map.of("x", x)).get("y").floats();
      float[] ort = OrtReference.run(m, x);
      assertThat(ours).hasSameSizeAs(ort);
      for (int k = 0; k < ort.length; k++) {
        assertThat(ours[k]).as("y[%d]", k).isCloseTo(ort[k], org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }
}
