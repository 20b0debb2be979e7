package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.condense.graph.Attribute;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every element-wise op and activation of issue 13 §1 that runs through the engine's element-wise
 * kernel, forward and backward, against PyTorch in float64 (values, autograd derivatives and
 * central differences (y(x+h) − y(x−h)) / 2h written by {@code elementwise/make_reference.py}).
 * Sign, Floor, Ceil and Round have zero gradient almost everywhere: the differences confirm it.
 */
class ElementwiseGradientTest {
  private static final List<String> OPS = List.of("Sqrt", "Exp", "Log", "Neg", "Abs", "Reciprocal", "Erf",
      "Sign", "Floor", "Ceil", "Round", "HardSigmoid", "HardSwish", "Elu", "Selu", "Celu", "Softplus",
      "Softsign", "Gelu", "Mish");

  record Point(double x, double y, double dydx, double yMinus, double yPlus) {}

  @Test
  void valuesAndGradientsMatchPyTorchAndCentralDifferences() throws IOException {
    Map<String, List<Point>> cases = read();
    assertThat(cases.keySet().stream().map(k -> k.split("\t", -1)[0]).distinct()).containsExactlyElementsOf(OPS);
    SplittableRandom r = new SplittableRandom(13);
    for (Map.Entry<String, List<Point>> c : cases.entrySet()) {
      String[] key = c.getKey().split("\t", -1);
      assertThat(OpTable.standard().find(key[0]).kind()).isEqualTo(Kind.ELEMENTWISE_UNARY);
      List<Point> pts = c.getValue();
      int k = pts.size();
      float[] x = new float[k];
      float[] dy = new float[k];
      for (int i = 0; i < k; i++) {
        x[i] = (float) pts.get(i).x();
        dy[i] = (float) (r.nextDouble() * 2 - 1);
      }
      Node node = new Node("n", key[0], List.of("x"), List.of("y"), attributes(key[1]));
      LinkedHashMap<String, Tensor> in = new LinkedHashMap<>(Map.of("x", Tensor.of(x.clone(), 1, k)));
      SingleNode run;
      try (Parallel par = new Parallel(2)) {
        run = new SingleNode(node, in, new int[] {1, k}, dy, new Blas(new JavaGemm()), par, 1);
      }
      float[] dx = run.grads.get("x");
      for (int i = 0; i < k; i++) {
        Point p = pts.get(i);
        String at = c.getKey() + " at x=" + p.x();
        double central = (p.yPlus() - p.yMinus()) / (2 * H);
        assertThat((double) run.output[i]).as("value, %s", at).isCloseTo(p.y(), within(1e-6 + 1e-6 * Math.abs(p.y())));
        assertThat(p.dydx()).as("PyTorch's derivative against central differences, %s", at)
            .isCloseTo(central, within(1e-6 + 1e-6 * Math.abs(central)));
        double expected = dy[i] * central;
        assertThat((double) dx[i]).as("gradient, %s", at).isCloseTo(expected, within(1e-5 + 1e-5 * Math.abs(expected)));
      }
    }
  }

  private static final double H = 1e-5;

  /** "alpha=0.3;beta=0.4" as ONNX attributes (strings where not a number). */
  private static Map<String, Attribute> attributes(String spec) {
    Map<String, Attribute> a = new LinkedHashMap<>();
    for (String kv : spec.isEmpty() ? new String[0] : spec.split(";")) {
      String[] p = kv.split("=");
      a.put(p[0], p[1].matches("[-0-9.]+") ? new Attribute.FloatAttr(Float.parseFloat(p[1])) : new Attribute.StringAttr(p[1]));
    }
    return a;
  }

  private static Map<String, List<Point>> read() throws IOException {
    Map<String, List<Point>> cases = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        ElementwiseGradientTest.class.getResourceAsStream("/elementwise/unary-reference.tsv"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        cases.computeIfAbsent(f[0] + "\t" + f[1], x -> new ArrayList<>()).add(new Point(Double.parseDouble(f[2]),
            Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])));
      }
    }
    return cases;
  }
}
