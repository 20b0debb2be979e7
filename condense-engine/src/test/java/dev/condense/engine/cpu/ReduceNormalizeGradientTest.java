package dev.condense.engine.cpu;

import static dev.condense.engine.cpu.CentralDifference.random;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forward against float64 references written here, backward against central differences of
 * them ({@link CentralDifference}), for the reductions, LayerNormalization,
 * InstanceNormalization, Split (through a Concat that reorders its parts), Tile and Expand.
 */
class ReduceNormalizeGradientTest {

  private static Map<String, Attribute> attrs(Object... kv) {
    Map<String, Attribute> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      Object v = kv[i + 1];
      m.put((String) kv[i], v instanceof long[] l ? new Attribute.IntsAttr(l)
          : v instanceof Float f ? new Attribute.FloatAttr(f) : new Attribute.IntAttr((Long) v));
    }
    return m;
  }

  /** Row-major multi-index of flat index {@code i} in {@code shape}. */
  private static int[] index(int i, int[] shape) {
    int[] idx = new int[shape.length];
    for (int a = shape.length - 1; a >= 0; a--) {
      idx[a] = i % shape[a];
      i /= shape[a];
    }
    return idx;
  }

  /** A reduction of {@code x} over {@code axes}, in double: the output in row-major order of the kept axes. */
  static double[] reduce(String op, double[] x, int[] shape, int[] axes) {
    boolean[] red = new boolean[shape.length];
    int outSize = 1;
    for (int a : axes) {
      red[a] = true;
    }
    for (int a = 0; a < shape.length; a++) {
      outSize *= red[a] ? 1 : shape[a];
    }
    double[] acc = new double[outSize];
    int[] n = new int[outSize];
    boolean extreme = op.equals("ReduceMax") || op.equals("ReduceMin");
    for (int i = 0; i < x.length; i++) {
      int[] idx = index(i, shape);
      int o = 0;
      for (int a = 0; a < shape.length; a++) {
        o = red[a] ? o : o * shape[a] + idx[a];
      }
      double v = x[i];
      if (extreme) {
        acc[o] = n[o] == 0 ? v : op.equals("ReduceMax") ? Math.max(acc[o], v) : Math.min(acc[o], v);
      } else {
        acc[o] += op.equals("ReduceL2") || op.equals("ReduceSumSquare") ? v * v : v;
      }
      n[o]++;
    }
    for (int o = 0; o < outSize; o++) {
      acc[o] = switch (op) {
        case "ReduceMean" -> acc[o] / n[o];
        case "ReduceL2" -> Math.sqrt(acc[o]);
        default -> acc[o];
      };
    }
    return acc;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL2", "ReduceSumSquare"})
  void reductionsWithTheAxesAttributeAndInput(String op) {
    SplittableRandom r = new SplittableRandom(op.hashCode());
    int[] shape = {2, 3, 4, 2};
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, shape));
    // Opset 13 form: axes attribute, reduced axes dropped (SE-style pooling over H and W).
    Node attr = new Node("r", op, List.of("x"), List.of("y"), attrs("axes", new long[] {2, -1}, "keepdims", 0L));
    CentralDifference.check(List.of(attr), in, "y", new int[] {2, 3},
        x -> reduce(op, x.get("x"), shape, new int[] {2, 3}), 1);
    // Opset 18 form: axes as an int64 input, kept as length 1.
    in.put("axes", Tensor.ofLongs(new long[] {0, 1}, 2));
    Node input = new Node("r", op, List.of("x", "axes"), List.of("y"), attrs("keepdims", 1L));
    CentralDifference.check(List.of(input), in, "y", new int[] {1, 1, 4, 2},
        x -> reduce(op, x.get("x"), shape, new int[] {0, 1}), 2);
    // No axes: every axis.
    in.remove("axes");
    Node all = new Node("r", op, List.of("x"), List.of("y"), attrs("keepdims", 1L));
    CentralDifference.check(List.of(all), in, "y", new int[] {1, 1, 1, 1},
        x -> reduce(op, x.get("x"), shape, new int[] {0, 1, 2, 3}), 3);
  }

  /** Standardises groups of {@code size} elements; parameter index by position ({@code channels} 0) or by group. */
  static double[] standardize(double[] x, double[] s, double[] b, int size, int channels, double eps) {
    double[] y = new double[x.length];
    for (int g = 0; g < x.length / size; g++) {
      double mu = 0;
      for (int j = 0; j < size; j++) {
        mu += x[g * size + j] / size;
      }
      double var = 0;
      for (int j = 0; j < size; j++) {
        var += (x[g * size + j] - mu) * (x[g * size + j] - mu) / size;
      }
      for (int j = 0; j < size; j++) {
        int p = channels > 0 ? g % channels : j;
        y[g * size + j] = (x[g * size + j] - mu) / Math.sqrt(var + eps) * s[p] + (b == null ? 0 : b[p]);
      }
    }
    return y;
  }

  @Test
  void layerNormalizationOverTheLastAxisAndTheLastTwo() {
    SplittableRandom r = new SplittableRandom(11);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, 2, 3, 5));
    in.put("scale", random(r, 5));
    in.put("bias", random(r, 5));
    Node ln = new Node("ln", "LayerNormalization", List.of("x", "scale", "bias"), List.of("y"),
        attrs("axis", -1L, "epsilon", 1e-5f));
    CentralDifference.check(List.of(ln), in, "y", new int[] {2, 3, 5},
        x -> standardize(x.get("x"), x.get("scale"), x.get("bias"), 5, 0, 1e-5), 4);
    in.put("scale", random(r, 3, 5));
    in.remove("bias");
    Node noBias = new Node("ln", "LayerNormalization", List.of("x", "scale"), List.of("y"), attrs("axis", 1L, "epsilon", 1e-3f));
    CentralDifference.check(List.of(noBias), in, "y", new int[] {2, 3, 5},
        x -> standardize(x.get("x"), x.get("scale"), null, 15, 0, 1e-3), 5);
  }

  @Test
  void instanceNormalizationPerSampleAndChannel() {
    SplittableRandom r = new SplittableRandom(12);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, 2, 3, 3, 2));
    in.put("scale", random(r, 3));
    in.put("bias", random(r, 3));
    Node n = new Node("in", "InstanceNormalization", List.of("x", "scale", "bias"), List.of("y"), attrs("epsilon", 1e-4f));
    CentralDifference.check(List.of(n), in, "y", new int[] {2, 3, 3, 2},
        x -> standardize(x.get("x"), x.get("scale"), x.get("bias"), 6, 3, 1e-4), 6);
  }

  @Test
  void splitPartsFlowBackThroughAConcatThatReordersThem() {
    SplittableRandom r = new SplittableRandom(13);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, 2, 5, 3));
    in.put("split", Tensor.ofLongs(new long[] {2, 3}, 2));
    List<Node> nodes = List.of(
        new Node("split", "Split", List.of("x", "split"), List.of("a", "b"), attrs("axis", 1L)),
        new Node("cat", "Concat", List.of("b", "a"), List.of("y"), attrs("axis", 1L)));
    CentralDifference.check(nodes, in, "y", new int[] {2, 5, 3}, x -> {
      double[] v = x.get("x");
      double[] y = new double[v.length];
      for (int i = 0; i < y.length; i++) {
        int[] idx = index(i, new int[] {2, 5, 3});
        int c = idx[1] < 3 ? idx[1] + 2 : idx[1] - 3;
        y[i] = v[(idx[0] * 5 + c) * 3 + idx[2]];
      }
      return y;
    }, 7);
    // Opset 18: num_outputs, the last part smaller (ceil(5 / 3) = 2: parts 2, 2, 1); only the middle one trains.
    in.remove("split");
    List<Node> chunks = List.of(new Node("split", "Split", List.of("x"), List.of("a", "b", "c"),
        attrs("axis", 1L, "num_outputs", 3L)));
    CentralDifference.check(chunks, in, "b", new int[] {2, 2, 3}, x -> {
      double[] v = x.get("x");
      double[] y = new double[12];
      for (int i = 0; i < y.length; i++) {
        int[] idx = index(i, new int[] {2, 2, 3});
        y[i] = v[(idx[0] * 5 + idx[1] + 2) * 3 + idx[2]];
      }
      return y;
    }, 8);
  }

  /** The input repeated to {@code out}: right-aligned, every axis wrapping (Tile and Expand, by definition). */
  static double[] repeat(double[] x, int[] inShape, int[] out) {
    double[] y = new double[(int) Tensor.numel(out)];
    int lead = out.length - inShape.length;
    for (int i = 0; i < y.length; i++) {
      int[] idx = index(i, out);
      int src = 0;
      for (int a = 0; a < inShape.length; a++) {
        src = src * inShape[a] + idx[a + lead] % inShape[a];
      }
      y[i] = x[src];
    }
    return y;
  }

  @Test
  void tileAndExpandSumTheGradientOverCopies() {
    SplittableRandom r = new SplittableRandom(14);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, 2, 1, 3));
    in.put("repeats", Tensor.ofLongs(new long[] {1, 3, 2}, 3));
    CentralDifference.check(List.of(new Node("t", "Tile", List.of("x", "repeats"), List.of("y"))), in, "y",
        new int[] {2, 3, 6}, x -> repeat(x.get("x"), new int[] {2, 1, 3}, new int[] {2, 3, 6}), 9);
    in.remove("repeats");
    in.put("shape", Tensor.ofLongs(new long[] {2, 2, 4, 1}, 4));
    CentralDifference.check(List.of(new Node("e", "Expand", List.of("x", "shape"), List.of("y"))), in, "y",
        new int[] {2, 2, 4, 3}, x -> repeat(x.get("x"), new int[] {2, 1, 3}, new int[] {2, 2, 4, 3}), 10);
  }

  @Test
  void layerNormalizationStatisticsOutputsAreRefusedInTraining() {
    SplittableRandom r = new SplittableRandom(15);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, 2, 4));
    in.put("scale", random(r, 4));
    Node ln = new Node("ln", "LayerNormalization", List.of("x", "scale"), List.of("y", "mean", "inv"));
    assertThatThrownBy(() -> CentralDifference.check(List.of(ln), in, "y", new int[] {2, 4},
        x -> standardize(x.get("x"), x.get("scale"), null, 4, 0, 1e-5), 16))
        .isInstanceOf(CondenseException.class)
        .hasMessageContaining("node 'ln'").hasMessageContaining("inference only");
  }
}
