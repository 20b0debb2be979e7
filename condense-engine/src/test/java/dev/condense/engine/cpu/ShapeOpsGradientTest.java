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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Forward and backward of the run-time movement ops (Transpose, Gather by constant indices,
 * Unsqueeze and Squeeze in both opset forms, Reshape to a shape computed by Shape arithmetic)
 * and of Where on a comparison mask: forward against values worked out here element by
 * element, backward against central differences of a random linear loss.
 */
class ShapeOpsGradientTest {
  private static final int[] X = {2, 3, 4, 5};

  @Test
  void transposeMovesElementsAndScattersTheGradientBack() {
    Graph g = graph(X, node("Transpose", List.of("xv"), "y", Map.of("perm", ints(0, 2, 3, 1))));
    Run r = check(g);
    float[] x = r.x;
    for (int a = 0; a < 2; a++) {
      for (int c = 0; c < 3; c++) {
        for (int h = 0; h < 4; h++) {
          for (int w = 0; w < 5; w++) {
            assertThat(r.y[((a * 4 + h) * 5 + w) * 3 + c]).isEqualTo(x[((a * 3 + c) * 4 + h) * 5 + w]);
          }
        }
      }
    }
  }

  @Test
  void gatherOfTheClassTokenAndOfNegativeIndices() {
    Graph token = graph(X, Map.of("i0", Tensor.ofLongs(new long[] {0}, new int[0])),
        node("Gather", List.of("xv", "i0"), "y", Map.of("axis", new Attribute.IntAttr(1))));
    Run r = check(token);
    assertThat(r.y).hasSize(2 * 4 * 5);
    for (int a = 0; a < 2; a++) {
      for (int j = 0; j < 20; j++) {
        assertThat(r.y[a * 20 + j]).isEqualTo(r.x[a * 60 + j]);
      }
    }
    // Repeated and negative indices: the gradient of a row taken twice is the sum of both.
    Graph twice = graph(X, Map.of("ix", Tensor.ofLongs(new long[] {-1, 0, 4, 2}, 2, 2)),
        node("Gather", List.of("xv", "ix"), "y", Map.of("axis", new Attribute.IntAttr(-1))));
    Run t = check(twice);
    assertThat(t.y[0]).isEqualTo(t.x[4]);
    assertThat(t.y[2]).isEqualTo(t.x[4]);
    assertThat(t.y[3]).isEqualTo(t.x[2]);
  }

  @Test
  void unsqueezeAndSqueezeReadAxesAsAttributeAndAsInput() {
    Node un11 = node("Unsqueeze", List.of("xv"), "u", Map.of("axes", ints(0, -1)));
    Node sq11 = node("Squeeze", List.of("u"), "y", Map.of("axes", ints(0)));
    Run a = check(graph(X, un11, sq11));
    assertThat(a.shape).containsExactly(2, 3, 4, 5, 1);
    Node un13 = node("Unsqueeze", List.of("xv", "ax"), "u", Map.of());
    Node sq13 = node("Squeeze", List.of("u"), "y", Map.of()); // no axes: every dim of size 1
    Run b = check(graph(X, Map.of("ax", Tensor.ofLongs(new long[] {2}, 1)), un13, sq13));
    assertThat(b.shape).containsExactly(2, 3, 4, 5);
    assertThat(b.y).containsExactly(b.x);
  }

  @Test
  void viewOfTheBatchByShapeArithmetic() {
    // x.view(x.size(0), -1) as PyTorch exports it with a dynamic batch.
    Map<String, Tensor> c = Map.of("zero", Tensor.ofLongs(new long[] {0}, new int[0]),
        "axes0", Tensor.ofLongs(new long[] {0}, 1), "minus1", Tensor.ofLongs(new long[] {-1}, 1));
    Graph g = graph(X, c,
        node("Shape", List.of("xv"), "s", Map.of()),
        node("Gather", List.of("s", "zero"), "b", Map.of("axis", new Attribute.IntAttr(0))),
        node("Unsqueeze", List.of("b", "axes0"), "b1", Map.of()),
        node("Concat", List.of("b1", "minus1"), "spec", Map.of("axis", new Attribute.IntAttr(0))),
        node("Reshape", List.of("xv", "spec"), "y", Map.of()));
    Run r = check(g);
    assertThat(r.shape).containsExactly(2, 60);
    assertThat(r.y).containsExactly(r.x);
  }

  @Test
  void whereOnAMaskFromAComparisonTakesTheGradientOfTheChosenInput() {
    // torch.where(x > 0.1, x, x * 0.5), plus a broadcast scalar on the other side.
    Map<String, Tensor> c = Map.of("t", Tensor.of(new float[] {0.1f}), "half", Tensor.of(new float[] {0.5f}));
    Graph g = graph(X, c,
        node("Greater", List.of("xv", "t"), "m", Map.of()),
        node("Mul", List.of("xv", "half"), "h", Map.of()),
        node("Where", List.of("m", "xv", "h"), "y", Map.of()));
    Run r = check(g);
    for (int i = 0; i < r.x.length; i++) {
      assertThat(r.y[i]).isEqualTo(r.x[i] > 0.1f ? r.x[i] : r.x[i] * 0.5f);
    }
    Graph scalar = graph(X, Map.of("t", Tensor.of(new float[] {0.1f}), "s", Tensor.of(new float[] {-2f})),
        node("Less", List.of("xv", "t"), "m", Map.of()),
        node("Not", List.of("m"), "keep", Map.of()),
        node("Where", List.of("keep", "xv", "s"), "y", Map.of()));
    Run s = check(scalar, "s");
    for (int i = 0; i < s.x.length; i++) {
      assertThat(s.y[i]).isEqualTo(s.x[i] < 0.1f ? -2f : s.x[i]);
    }
  }

  // ------------------------------------------------------------------ harness

  record Run(float[] x, float[] y, int[] shape) {}

  private static Attribute ints(long... v) {
    return new Attribute.IntsAttr(v);
  }

  private static Node node(String op, List<String> in, String out, Map<String, Attribute> attrs) {
    return new Node(op.toLowerCase() + "_" + out, op, in, List.of(out), attrs);
  }

  private static Graph graph(int[] xShape, Node... nodes) {
    return graph(xShape, Map.of(), nodes);
  }

  /**
   * x is a trainable initializer seen through an Identity ("xv"), so that the ops under test
   * run on a run-time value rather than folding a constant.
   */
  private static Graph graph(int[] xShape, Map<String, Tensor> constants, Node... nodes) {
    SplittableRandom r = new SplittableRandom(11);
    float[] x = new float[(int) Tensor.numel(xShape)];
    for (int i = 0; i < x.length; i++) {
      // Away from the comparison thresholds, so that central differences stay on one side.
      double v = r.nextDouble(-1, 1);
      x[i] = (float) (Math.abs(v - 0.1) < 0.05 ? v + 0.1 : v);
    }
    Graph.Builder b = new Graph.Builder("g").initializer("x", Tensor.of(x, xShape));
    constants.forEach(b::initializer);
    b.node(new Node("view", "Identity", List.of("x"), List.of("xv")));
    for (Node n : nodes) {
      b.node(n);
    }
    return b.output(ValueInfo.batched("y")).build();
  }

  private static Run check(Graph g, String... alsoTrained) {
    Map<String, float[]> weights = new HashMap<>();
    weights.put("x", g.initializer("x").floatsCopy());
    for (String w : alsoTrained) {
      weights.put(w, g.initializer(w).floatsCopy());
    }
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(g, Map.of(), Map.of(), weights, grads, Set.of(), true, "y", false);
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      plan.forward(ctx);
      Buf y = plan.buf("y");
      float[] out = y.data.clone();
      SplittableRandom r = new SplittableRandom(5);
      float[] dy = new float[out.length];
      for (int i = 0; i < dy.length; i++) {
        dy[i] = (float) r.nextDouble(-1, 1);
      }
      System.arraycopy(dy, 0, y.grad, 0, dy.length);
      plan.backward(ctx);
      double h = 1e-2;
      for (String w : weights.keySet()) {
        float[] v = weights.get(w);
        float[] analytic = grads.get(w).clone();
        for (int i = 0; i < v.length; i++) {
          float keep = v[i];
          v[i] = (float) (keep + h);
          double up = loss(plan, ctx, dy);
          v[i] = (float) (keep - h);
          double down = loss(plan, ctx, dy);
          v[i] = keep;
          assertThat((double) analytic[i]).as("d%s[%d]", w, i).isCloseTo((up - down) / (2 * h), within(1e-3));
        }
      }
      return new Run(g.initializer("x").floats(), out, y.shape.clone());
    }
  }

  private static double loss(Plan plan, Ctx ctx, float[] dy) {
    plan.forward(ctx);
    float[] y = plan.buf("y").data;
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += (double) y[i] * dy[i];
    }
    return s;
  }
}
