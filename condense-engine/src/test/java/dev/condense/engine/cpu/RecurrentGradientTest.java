package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The LSTM, GRU and RNN kernels against {@link RecurrentReference64}: forward within 1e-5, and
 * the gradient of every input (X, W, R, B, initial_h, initial_c, P) by backpropagation through
 * time against central differences of the float64 reference, for a loss that weighs every
 * output (Y, Y_h, Y_c) — in both layouts, every direction, with and without the optional inputs.
 */
class RecurrentGradientTest {
  private static final Map<Integer, String> OPS = Map.of(4, "LSTM", 3, "GRU", 1, "RNN");

  @ParameterizedTest(name = "{0}-gate {1} layout={2} lbr={3} optional={4}")
  @CsvSource({
      "4, forward, 0, 0, true", "4, reverse, 0, 0, true", "4, bidirectional, 0, 0, true", "4, bidirectional, 1, 0, true",
      "4, forward, 1, 0, false", "4, bidirectional, 0, 0, false",
      "3, forward, 0, 1, true", "3, reverse, 1, 1, true", "3, bidirectional, 0, 1, true", "3, bidirectional, 1, 0, true",
      "3, forward, 0, 0, false", "3, reverse, 0, 0, true",
      "1, forward, 0, 0, true", "1, bidirectional, 1, 0, true", "1, reverse, 0, 0, false"})
  void gradientsMatchCentralDifferences(int gates, String direction, int layout, int lbr, boolean optional) {
    int steps = 4;
    int batch = 2;
    int inputs = 3;
    int hidden = 3;
    int dirs = direction.equals("bidirectional") ? 2 : 1;
    int g = gates * hidden;
    SplittableRandom rnd = new SplittableRandom(gates * 1000L + layout * 10 + lbr + direction.hashCode());
    int[] state = layout == 1 ? new int[] {batch, dirs, hidden} : new int[] {dirs, batch, hidden};
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("X", random(rnd, layout == 1 ? new int[] {batch, steps, inputs} : new int[] {steps, batch, inputs}));
    in.put("W", random(rnd, dirs, g, inputs));
    in.put("R", random(rnd, dirs, g, hidden));
    List<String> names = new ArrayList<>(List.of("X", "W", "R"));
    if (optional) {
      in.put("B", random(rnd, dirs, 2 * g));
      in.put("initial_h", random(rnd, state));
      names.addAll(List.of("B", "", "initial_h"));
      if (gates == 4) {
        in.put("initial_c", random(rnd, state));
        in.put("P", random(rnd, dirs, 3 * hidden));
        names.addAll(List.of("initial_c", "P"));
      }
    }
    List<String> outs = gates == 4 ? List.of("Y", "Y_h", "Y_c") : List.of("Y", "Y_h");
    Map<String, Attribute> attrs = new HashMap<>(Map.of("hidden_size", new Attribute.IntAttr(hidden),
        "direction", new Attribute.StringAttr(direction), "layout", new Attribute.IntAttr(layout)));
    if (gates == 3) {
      attrs.put("linear_before_reset", new Attribute.IntAttr(lbr));
    }
    Node node = new Node("rnn", OPS.get(gates), names, outs, attrs);
    RecurrentReference64 ref = new RecurrentReference64(gates, steps, batch, inputs, hidden, dirs,
        direction.equals("reverse"), layout == 1, lbr == 1);

    Graph.Builder b = new Graph.Builder("recurrent");
    Map<String, float[]> weights = new LinkedHashMap<>();
    in.forEach((k, v) -> {
      b.initializer(k, v);
      weights.put(k, v.floatsCopy());
    });
    b.node(node);
    for (String o : outs) {
      b.output(ValueInfo.batched(o, 1));
    }
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(b.build(), Map.of(), Map.of(), weights, grads, Set.of(), true, "Y", false);
    double[] expected = reference(ref, in, Map.of());
    double[] upstream = new double[expected.length];
    for (int i = 0; i < upstream.length; i++) {
      upstream[i] = rnd.nextDouble() * 2 - 1;
    }
    float[] actual = new float[expected.length];
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      plan.forward(ctx);
      int at = 0;
      for (String o : outs) {
        Buf buf = plan.buf(o);
        System.arraycopy(buf.data, 0, actual, at, buf.size);
        for (int i = 0; i < buf.size; i++) {
          buf.grad[i] = (float) upstream[at + i];
        }
        at += buf.size;
      }
      plan.backward(ctx);
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("output %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5));
    }
    assertThat(grads.keySet()).isEqualTo(in.keySet());
    for (String name : in.keySet()) {
      float[] v = in.get(name).floats();
      for (int i = 0; i < v.length; i++) {
        double eps = 1e-6;
        double plus = dot(upstream, reference(ref, in, Map.of(name, new double[] {i, eps})));
        double minus = dot(upstream, reference(ref, in, Map.of(name, new double[] {i, -eps})));
        double numeric = (plus - minus) / (2 * eps);
        assertThat((double) grads.get(name)[i]).as("dL/d%s[%d]", name, i)
            .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(numeric)));
      }
    }
  }

  @Test
  void refusesShorterSequencesAndOtherActivations() {
    Node lens = new Node("lstm0", "LSTM", List.of("X", "W", "R", "", "lens"), List.of("Y"),
        Map.of("hidden_size", new Attribute.IntAttr(2)));
    Graph.Builder b = new Graph.Builder("lens");
    b.initializer("X", Tensor.of(new float[12], 3, 1, 4));
    b.initializer("W", Tensor.of(new float[32], 1, 8, 4));
    b.initializer("R", Tensor.of(new float[16], 1, 8, 2));
    b.initializer("lens", Tensor.ofLongs(new long[] {2}, 1));
    b.node(lens);
    b.output(ValueInfo.batched("Y", 1, 1, 2));
    Graph graph = b.build();
    assertThatThrownBy(() -> new Plan(graph, Map.of(), Map.of(), Map.of(), new HashMap<>(), Set.of(), false, "Y", false))
        .isInstanceOf(CondenseException.class)
        .hasMessageContaining("node 'lstm0' (LSTM -> Y): LSTM sequence_lens holds 2 but Condense runs full-length sequences only (T = 3)");
    Node clip = lens.withInputs(List.of("X", "W", "R")).withAttribute("activations",
        new Attribute.StringsAttr(List.of("Relu", "Tanh", "Tanh")));
    Graph.Builder c = new Graph.Builder("act");
    graph.initializers().forEach(c::initializer);
    c.node(clip);
    c.output(ValueInfo.batched("Y", 1, 1, 2));
    assertThatThrownBy(() -> new Plan(c.build(), Map.of(), Map.of(), Map.of(), new HashMap<>(), Set.of(), false, "Y", false))
        .isInstanceOf(CondenseException.class)
        .hasMessageContaining("node 'lstm0' (LSTM -> Y): LSTM attribute 'activations' [Relu, Tanh, Tanh] is not supported");
  }

  private static double[] reference(RecurrentReference64 ref, Map<String, Tensor> in, Map<String, double[]> nudge) {
    Map<String, double[]> v = new HashMap<>();
    in.forEach((k, t) -> {
      float[] f = t.floats();
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      double[] n = nudge.get(k);
      if (n != null) {
        d[(int) n[0]] += n[1];
      }
      v.put(k, d);
    });
    return ref.run(v.get("X"), v.get("W"), v.get("R"), v.get("B"), v.get("initial_h"), v.get("initial_c"), v.get("P"));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static Tensor random(SplittableRandom r, int... shape) {
    float[] v = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return Tensor.of(v, Arrays.copyOf(shape, shape.length));
  }
}
