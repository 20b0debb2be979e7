package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.ImageSet;
import dev.condense.data.Normalization;
import dev.condense.engine.Progress;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import dev.condense.quant.int8.FakeQuantForm;
import dev.condense.quant.int8.Int8Quantizer;
import dev.condense.quant.int8.QdqLookup;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The gradient of a fake-quantized two-layer net (input, the Relu's output and the logits
 * quantized at calibrated uint8 scales, both weights int8 per output channel) is the
 * straight-through estimator's: checked against central differences, in double, of the
 * straight-through surrogate of the net at the same point — each quantizer replaced by its value
 * there plus the identity inside its range, zero outside (Bengio et al. 2013; Jacob et al. 2018,
 * §3) — with every value away from a rounding boundary, where the two are defined alike.
 */
class FakeQuantGradientTest {
  private static final int N = 4;
  private static final int IN = 4;
  private static final int HIDDEN = 6;
  private static final int OUT = 3;

  private static Model net(SplittableRandom r) {
    Graph.Builder b = new Graph.Builder("mlp");
    b.input(ValueInfo.batched("input", 1, 2, 2));
    b.initializer("w1", CentralDifference.random(r, HIDDEN, IN));
    b.initializer("b1", CentralDifference.random(r, HIDDEN));
    b.initializer("w2", CentralDifference.random(r, OUT, HIDDEN));
    b.initializer("b2", CentralDifference.random(r, OUT));
    Map<String, Attribute> transB = Map.of("transB", new Attribute.IntAttr(1));
    b.node(new Node("flatten", "Flatten", List.of("input"), List.of("flat")));
    b.node(new Node("fc1", "Gemm", List.of("flat", "w1", "b1"), List.of("h"), transB));
    b.node(new Node("relu1", "Relu", List.of("h"), List.of("r")));
    b.node(new Node("fc2", "Gemm", List.of("r", "w2", "b2"), List.of("output"), transB));
    b.output(ValueInfo.batched("output", OUT));
    return Model.of(b.build());
  }

  private static ImageSet calibration(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[64 * IN];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    return new ImageSet("cal", px, new int[64], 1, 2, 2, 10, Normalization.MNIST);
  }

  /** The quantization parameters of one site. */
  private record Site(float[] scale, int[] zero, int lo, int hi) {
    double step(double v, int c, double base) { // the surrogate: fq(base) + (v - base) inside the range
      double t = Math.rint(base / scale[c]) + zero[c];
      boolean in = t >= lo && t <= hi;
      double q = (Math.max(lo, Math.min(hi, t)) - zero[c]) * scale[c];
      return q + (in ? v - base : 0);
    }

    /** How far base/scale is from the nearest rounding boundary, in steps. */
    double margin(double base, int c) {
      double u = base / scale[c];
      return Math.abs(Math.abs(u - Math.floor(u)) - 0.5);
    }
  }

  /** The parameters of QuantizeLinear {@code q}. */
  private static Site site(Graph g, Node q, DType type) {
    String scale = q.input(1);
    Tensor z = g.initializer(q.input(2));
    assertThat(z.dtype()).as(q.name() + "'s zero point").isEqualTo(type);
    long[] zl = z.toLongs();
    int[] zi = new int[zl.length];
    for (int i = 0; i < zl.length; i++) {
      zi[i] = (int) zl[i];
    }
    return new Site(g.initializer(scale).floatsCopy(), zi, type == DType.UINT8 ? 0 : -128, type == DType.UINT8 ? 255 : 127);
  }

  @Test
  void theGradientIsTheStraightThroughEstimatorsAwayFromRoundingBoundaries() {
    SplittableRandom r = new SplittableRandom(11);
    Int8Quantizer.Result ptq;
    try (CpuEngine e = new CpuEngine(1)) {
      ptq = Int8Quantizer.defaults().quantize(net(r), e, calibration(12), Progress.NONE);
    }
    FakeQuantForm form = FakeQuantForm.of(ptq);
    Graph g = form.trainable().graph();
    // the trainable tensors by their layers: fc's weight is Quantize(float) → Dequantize → fc, its bias a float
    Node q1 = g.producer(g.producer(g.node("fc1").input(1)).input(0));
    Node q2 = g.producer(g.producer(g.node("fc2").input(1)).input(0));
    Map<String, String> names = Map.of("w1", q1.input(0), "w2", q2.input(0), "b1", g.node("fc1").input(2),
        "b2", g.node("fc2").input(2));
    assertThat(form.weights()).containsOnlyKeys(names.get("w1"), names.get("w2"));
    assertThat(form.biases()).containsOnlyKeys(names.get("b1"), names.get("b2"));
    Site input = site(g, QdqLookup.quantizeOf(ptq, "input"), DType.UINT8);
    Site relu = site(g, QdqLookup.quantizeOf(ptq, "r"), DType.UINT8);
    Site logits = site(g, QdqLookup.quantizeOf(ptq, "output"), DType.UINT8);
    Site sw1 = site(g, q1, DType.INT8);
    Site sw2 = site(g, q2, DType.INT8);
    float[] x = new float[N * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 3 - 1);
    }
    Map<String, double[]> p = new LinkedHashMap<>();
    for (String name : List.of("w1", "b1", "w2", "b2")) {
      p.put(name, CentralDifference.toDouble(g.initializer(names.get(name)).floats()));
    }
    Map<String, double[]> base = new HashMap<>();
    // The forward at the point itself records every quantizer's input there.
    double[] y = surrogate(p, x, input, relu, logits, sw1, sw2, base, true);
    for (Map.Entry<String, double[]> e : base.entrySet()) {
      Site s = switch (e.getKey()) {
        case "x" -> input;
        case "r" -> relu;
        case "o" -> logits;
        case "w1" -> sw1;
        default -> sw2;
      };
      int channels = s.scale().length;
      double[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        int c = channels == 1 ? 0 : i / (v.length / channels);
        assertThat(s.margin(v[i], c)).as("%s[%d] away from a rounding boundary", e.getKey(), i).isGreaterThan(1e-3);
      }
    }

    Map<String, float[]> weights = new LinkedHashMap<>();
    for (String name : names.values()) {
      weights.put(name, g.initializer(name).floatsCopy());
    }
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(g, Map.of("input", new ValueType(DType.FLOAT, new int[] {N, 1, 2, 2})), Map.of(), weights,
        grads, Set.of(), true, "output", false);
    float[] dy = new float[N * OUT];
    for (int i = 0; i < dy.length; i++) {
      dy[i] = (float) (r.nextDouble() * 2 - 1);
    }
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      System.arraycopy(x, 0, plan.buf("input").data, 0, x.length);
      plan.forward(ctx);
      Close.check("fake-quantized forward", plan.buf("output").data, y, 1e-5);
      System.arraycopy(dy, 0, plan.buf("output").grad, 0, dy.length);
      plan.backward(ctx);
    }
    double h = 1e-6;
    int clipped = 0;
    for (String name : List.of("w1", "b1", "w2", "b2")) {
      double[] v = p.get(name);
      float[] grad = grads.get(names.get(name));
      assertThat(grad).as("gradient of %s", name).isNotNull();
      for (int i = 0; i < v.length; i++) {
        double keep = v[i];
        v[i] = keep + h;
        double up = CentralDifference.dot(dy, surrogate(p, x, input, relu, logits, sw1, sw2, base, false));
        v[i] = keep - h;
        double down = CentralDifference.dot(dy, surrogate(p, x, input, relu, logits, sw1, sw2, base, false));
        v[i] = keep;
        double central = (up - down) / (2 * h);
        clipped += central == 0 ? 1 : 0;
        assertThat((double) grad[i]).as("d/d%s[%d]", name, i).isCloseTo(central, Offset.offset(1e-4 + 1e-4 * Math.abs(central)));
      }
    }
    // the logits' min-max range makes one of each sample's extremes sit on its boundary, so some paths are cut
    assertThat(clipped).as("parameters whose gradient the clipping zeroes").isLessThan(HIDDEN * IN + HIDDEN + OUT * HIDDEN + OUT);
  }

  /**
   * The net in double. With {@code record}, every quantizer is evaluated at its own input (the
   * forward pass) and that input stored in {@code base}; otherwise each is the straight-through
   * surrogate around the stored input.
   */
  private static double[] surrogate(Map<String, double[]> p, float[] x, Site input, Site relu, Site logits, Site sw1,
      Site sw2, Map<String, double[]> base, boolean record) {
    double[] xq = quantize("x", CentralDifference.toDouble(x), input, 1, base, record);
    double[] w1 = quantize("w1", p.get("w1"), sw1, HIDDEN, base, record);
    double[] w2 = quantize("w2", p.get("w2"), sw2, OUT, base, record);
    double[] r = new double[N * HIDDEN];
    for (int n = 0; n < N; n++) {
      for (int j = 0; j < HIDDEN; j++) {
        double s = p.get("b1")[j];
        for (int i = 0; i < IN; i++) {
          s += xq[n * IN + i] * w1[j * IN + i];
        }
        r[n * HIDDEN + j] = Math.max(0, s);
      }
    }
    double[] rq = quantize("r", r, relu, 1, base, record);
    double[] o = new double[N * OUT];
    for (int n = 0; n < N; n++) {
      for (int k = 0; k < OUT; k++) {
        double s = p.get("b2")[k];
        for (int j = 0; j < HIDDEN; j++) {
          s += rq[n * HIDDEN + j] * w2[k * HIDDEN + j];
        }
        o[n * OUT + k] = s;
      }
    }
    return quantize("o", o, logits, 1, base, record);
  }

  /** One quantizer of {@code channels} slices (rows of a weight) over {@code v}. */
  private static double[] quantize(String name, double[] v, Site s, int channels, Map<String, double[]> base,
      boolean record) {
    if (record) {
      base.put(name, v.clone());
    }
    double[] at = base.get(name);
    double[] out = new double[v.length];
    int inner = v.length / channels;
    for (int i = 0; i < v.length; i++) {
      int c = channels == 1 ? 0 : i / inner;
      out[i] = s.step(v[i], c, at[i]);
    }
    return out;
  }
}
