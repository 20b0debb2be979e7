package dev.condense.quant.int4;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GPTQ against an independent NumPy implementation of the same algorithm
 * ({@code gptq_reference.py} beside the fixture): on a random layer with correlated inputs the
 * Java rounding gives NumPy's codes, scales and zero points, and its output error
 * {@code ||XW − XŴ||} is NumPy's and well below round-to-nearest's.
 */
class GptqTest {

  static Map<String, double[]> fixture() throws IOException {
    try (InputStream in = GptqTest.class.getResourceAsStream("gptq_reference.txt")) {
      String[] t = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
      Map<String, double[]> r = new HashMap<>();
      for (int i = 0; i < t.length;) {
        String name = t[i++];
        double[] v = new double[Integer.parseInt(t[i++])];
        for (int j = 0; j < v.length; j++) {
          v[j] = Double.parseDouble(t[i++]);
        }
        r.put(name, v);
      }
      return r;
    }
  }

  static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /** ||X Wᵀ − X Ŵᵀ|| in float64. */
  static double outputError(float[] x, int samples, float[] w, float[] wq, int rows, int cols) {
    double s = 0;
    for (int i = 0; i < samples; i++) {
      for (int n = 0; n < rows; n++) {
        double d = 0;
        for (int k = 0; k < cols; k++) {
          d += (double) x[i * cols + k] * ((double) w[n * cols + k] - wq[n * cols + k]);
        }
        s += d * d;
      }
    }
    return Math.sqrt(s);
  }

  @Test
  void matchesTheNumPyReferenceAndBeatsRoundToNearest() throws IOException {
    Map<String, double[]> f = fixture();
    int rows = (int) f.get("shape")[0];
    int cols = (int) f.get("shape")[1];
    int samples = (int) f.get("shape")[2];
    float[] w = floats(f.get("W"));
    float[] x = floats(f.get("X"));
    Hessian h = new Hessian(cols);
    h.add(x, samples);
    for (String tag : new String[] {"b32a", "b64s"}) {
      int block = tag.startsWith("b32") ? 32 : 64;
      boolean symmetric = tag.endsWith("s");
      BlockWeights q = Gptq.quantize(w, rows, cols, h.matrix(), block, symmetric, "fc");
      double[] codes = f.get(tag + ".codes");
      int same = 0;
      for (int i = 0; i < codes.length; i++) {
        same += q.codes()[i] == (int) codes[i] ? 1 : 0;
      }
      // float64 in a different order: a code may flip where the value sits on a rounding boundary
      assertThat(same).as(tag + ": codes equal to NumPy's").isGreaterThanOrEqualTo(codes.length - 2);
      assertThat(q.scales()).as(tag + " scales").containsExactly(floats(f.get(tag + ".scales")),
          org.assertj.core.data.Offset.offset(1e-6f));
      double gptq = outputError(x, samples, w, q.dequantized(), rows, cols);
      double rtn = outputError(x, samples, w,
          RoundToNearest.quantize(w, rows, cols, block, symmetric).dequantized(), rows, cols);
      assertThat(gptq).as(tag + ": GPTQ error vs NumPy's").isCloseTo(f.get(tag + ".gptq_error")[0],
          org.assertj.core.data.Percentage.withPercentage(0.5));
      assertThat(rtn).as(tag + ": RTN error vs NumPy's").isCloseTo(f.get(tag + ".rtn_error")[0],
          org.assertj.core.data.Percentage.withPercentage(0.01));
      assertThat(gptq).as(tag + ": GPTQ below round-to-nearest").isLessThan(0.8 * rtn);
      double ref = outputError(x, samples, w, new float[w.length], rows, cols);
      assertThat(h.relativeError(w, q.dequantized(), rows)).as(tag + ": relative error from H")
          .isCloseTo(gptq / ref, org.assertj.core.data.Percentage.withPercentage(1e-6));
    }
  }

  @Test
  void roundToNearestKeepsEveryWeightWithinHalfAStepAndZerosExact() {
    java.util.Random r = new java.util.Random(3);
    int rows = 5;
    int cols = 100; // blocks of 32: the last holds 4
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = i % 7 == 0 ? 0f : (float) r.nextGaussian();
    }
    for (boolean symmetric : new boolean[] {false, true}) {
      BlockWeights q = RoundToNearest.quantize(w, rows, cols, 32, symmetric);
      assertThat(q.blocks()).isEqualTo(4);
      float[] d = q.dequantized();
      for (int n = 0; n < rows; n++) {
        for (int k = 0; k < cols; k++) {
          float s = q.scales()[n * 4 + k / 32];
          assertThat(Math.abs(d[n * cols + k] - w[n * cols + k])).isLessThanOrEqualTo(s / 2 + 1e-6f);
          if (w[n * cols + k] == 0) {
            assertThat(d[n * cols + k]).isZero();
          }
          int c = q.codes()[n * cols + k];
          assertThat(c).isBetween(symmetric ? -8 : 0, symmetric ? 7 : 15);
        }
      }
    }
  }
}
