package dev.condense.quant.int8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.data.ImageSet;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-layer sensitivity and mixed precision on an untrained LeNet-5 whose validation labels are
 * its own float predictions (so float top-1 is 100% and every flipped prediction is the INT8
 * model's): the output error of the last layer against a direct re-computation of its fake
 * quantization, the one-layer models' layout, and a mixed model in ONNX Runtime, whose integer
 * share is exactly the share of the layers left integer.
 */
class QuantSensitivityTest {
  static final int[] SAMPLE = {1, 28, 28};

  @TempDir
  Path dir;

  private static ImageSet ownPredictions(Model m, int n, long seed) {
    ImageSet x = QdqProbe.images("validation", n, SAMPLE, seed);
    try (CpuEngine e = new CpuEngine(1); Session s = e.open(m)) {
      return QdqProbe.images("validation", n, SAMPLE, seed, s.evaluate(x, 64, Progress.NONE).predictions());
    }
  }

  @Test
  void theLastLayersOutputErrorIsItsFakeQuantizationRecomputedByHand() {
    Model m = Int8QuantizerTest.lenet5();
    ImageSet cal = QdqProbe.images("cal", 64, SAMPLE, 3);
    ImageSet val = ownPredictions(m, 128, 5);
    Int8Quantizer qz = Int8Quantizer.defaults();
    try (CpuEngine e = new CpuEngine(1)) {
      Int8Quantizer.Result full = qz.quantize(m, e, cal, Progress.NONE);
      QuantSensitivity.Table t = QuantSensitivity.measure(m, qz, full, e, val, cal, 32, Progress.NONE);
      assertThat(t.floatTop1()).isEqualTo(1.0);
      assertThat(t.rows()).extracting(QuantSensitivity.Row::layer)
          .containsExactlyInAnyOrder("conv1", "conv2", "ip1", "ip2");
      for (int i = 1; i < t.rows().size(); i++) {
        assertThat(t.rows().get(i).drop()).isLessThanOrEqualTo(t.rows().get(i - 1).drop());
      }
      QuantSensitivity.Row ip2 = t.rows().stream().filter(r -> r.layer().equals("ip2")).findFirst().orElseThrow();
      assertThat(ip2.macs()).isEqualTo(5000);
      assertThat(ip2.drop()).isEqualTo(t.floatTop1() - ip2.top1());
      float[][] xy = new float[2][];
      try (Session s = e.open(m)) {
        List<float[]> xs = new ArrayList<>();
        List<float[]> ys = new ArrayList<>();
        s.capture(cal, 64, List.of("relu1", "ip2"), (n, a, shapes, labels) -> {
          xs.add(java.util.Arrays.copyOf(a[0], n * 500));
          ys.add(java.util.Arrays.copyOf(a[1], n * 10));
        }, Progress.NONE);
        xy[0] = xs.get(0);
        xy[1] = ys.get(0);
      }
      double expected = byHand(m.graph(), xy[0], xy[1], full.ranges().get("relu1"), full.ranges().get("ip2"));
      assertThat(ip2.outputError()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4 * expected));
      assertThat(ip2.outputError()).isGreaterThan(0);
    }
  }

  /** uint8 asymmetric activations, int8 per-row weights, int32 bias: ONNX QuantizeLinear-13 by hand. */
  private static double byHand(Graph g, float[] x, float[] y, Range in, Range out) {
    float[] w = g.initializer("ip2.weight").floats();
    float[] b = g.initializer("ip2.bias").floats();
    float sx = (in.max() - in.min()) / 255;
    int zx = (int) Math.max(0, Math.min(255, Math.rint(-in.min() / sx)));
    float so = (out.max() - out.min()) / 255;
    int zo = (int) Math.max(0, Math.min(255, Math.rint(-out.min() / so)));
    double diff = 0;
    double norm = 0;
    for (int s = 0; s < 64; s++) {
      for (int c = 0; c < 10; c++) {
        float max = 0;
        for (int k = 0; k < 500; k++) {
          max = Math.max(max, Math.abs(w[c * 500 + k]));
        }
        float sw = max / 127;
        float sb = sx * sw;
        double acc = Math.rint(b[c] / (double) sb) * sb;
        for (int k = 0; k < 500; k++) {
          double xq = (Math.max(0, Math.min(255, Math.rint(x[s * 500 + k] / sx) + zx)) - zx) * (double) sx;
          double wq = Math.max(-127, Math.min(127, Math.rint(w[c * 500 + k] / sw))) * (double) sw;
          acc += xq * wq;
        }
        double yq = (Math.max(0, Math.min(255, Math.rint(acc / so) + zo)) - zo) * (double) so;
        double d = yq - y[s * 10 + c];
        diff += d * d;
        norm += (double) y[s * 10 + c] * y[s * 10 + c];
      }
    }
    return Math.sqrt(diff / norm);
  }

  @Test
  void aOneLayerModelQuantizesThatLayerAlone() {
    Model m = Int8QuantizerTest.lenet5();
    ImageSet cal = QdqProbe.images("cal", 16, SAMPLE, 3);
    try (CpuEngine e = new CpuEngine(1)) {
      Int8Quantizer qz = Int8Quantizer.defaults();
      Int8Quantizer.Result full = qz.quantize(m, e, cal, Progress.NONE);
      Graph g = m.graph();
      QdqLayout layout = QdqLayout.of(g, dev.condense.ops.OpTable.standard());
      Node conv2 = g.nodes().stream().filter(n -> n.name().equals("conv2")).findFirst().orElseThrow();
      Int8Quantizer.Result alone = qz.assemble(m, layout.only(conv2, g), full.ranges(), full.calibrated());
      Graph a = alone.model().graph();
      assertThat(alone.integers()).containsOnlyKeys("pool1", "conv2");
      assertThat(alone.quantizeNodes()).containsExactly(QdqLookup.quantizeOf(alone, "pool1").name(),
          QdqLookup.quantizeOf(alone, "conv2").name());
      assertThat(QdqLookup.integersOf(a, "conv2", 1).dtype()).isEqualTo(dev.condense.graph.DType.INT8);
      for (String w : new String[] {"conv1.weight", "ip1.weight", "ip2.weight"}) {
        assertThat(a.initializer(w).floats()).isEqualTo(g.initializer(w).floats());
      }
    }
  }

  @Test
  void layersKeptFloatFollowTheTableUntilTheDropIsMetAndOnnxRuntimeFusesTheRest() throws Exception {
    Model m = Int8QuantizerTest.lenet5();
    ImageSet cal = QdqProbe.images("cal", 64, SAMPLE, 3);
    ImageSet val = ownPredictions(m, 256, 5);
    // ranges clipped at the median of |x|: a quantization that costs accuracy, unevenly per layer
    Int8Quantizer qz = new Int8Quantizer(PercentileObserver.factory(50), 64, dev.condense.graph.DType.UINT8, 64);
    try (CpuEngine e = new CpuEngine(1)) {
      Int8Quantizer.Result full = qz.quantize(m, e, cal, Progress.NONE);
      QuantSensitivity.Table t = QuantSensitivity.measure(m, qz, full, e, val, cal, 64, Progress.NONE);
      double allInt8 = t.floatTop1() - t.int8Top1();
      assertThat(allInt8).as("clipped ranges flip predictions").isGreaterThan(0.02);
      double budget = allInt8 / 2;
      MixedPrecision.Choice c = MixedPrecision.choose(m, qz, full, t, budget, e, val, 64, Progress.NONE);
      assertThat(c.floatTop1() - c.top1()).isLessThanOrEqualTo(budget);
      assertThat(c.kept()).isNotEmpty();
      List<String> order = t.rows().stream().map(QuantSensitivity.Row::layer).toList();
      List<String> kept = c.kept().stream().map(MixedPrecision.Kept::layer).toList();
      assertThat(order.subList(0, kept.size())).isEqualTo(kept);
      assertThat(c.floatTop1() - c.kept().get(kept.size() - 1).before()).as("one layer fewer was over budget")
          .isGreaterThan(budget);
      assertThat(IntegerKernels.floatLayers(c.result())).containsExactlyInAnyOrderElementsOf(kept);
      QdqProbe.Outcome o = QdqProbe.run(c.result().model(), QdqProbe.images("test", 32, SAMPLE, 4), dir);
      List<String> inputs = List.of(m.graph().inputs().get(0).name());
      IntegerKernels k = IntegerKernels.of(c.result(), inputs, o.optimized());
      long floatMacs = kept.stream().mapToLong(l -> c.result().layerMacs().get(l)).sum();
      assertThat(k.integerMacs()).as(k.line()).isEqualTo(k.totalMacs() - floatMacs);
      assertThat(k.share()).isLessThan(1.0);
      assertThat(FusionCheck.unfused(c.result(), inputs, o.optimized())).as(k.line()).isEmpty();
      int agree = 0;
      for (int s = 0; s < 32; s++) {
        agree += argmax(o.ort(), s) == argmax(o.engine(), s) ? 1 : 0;
      }
      assertThat(agree).as("ONNX Runtime and the engine on the mixed model").isGreaterThanOrEqualTo(31);
      assertThat(MixedPrecision.choose(m, qz, full, t, 1.0, e, val, 64, Progress.NONE).kept()).isEmpty();
    }
  }

  @Test
  void unknownFloatLayersAndAnUnreachableBudgetAreRefused() {
    Model m = Int8QuantizerTest.lenet5();
    ImageSet cal = QdqProbe.images("cal", 16, SAMPLE, 3);
    try (CpuEngine e = new CpuEngine(1)) {
      assertThatThrownBy(() -> Int8Quantizer.defaults().quantize(m, e, cal, Progress.NONE, Set.of("pool1")))
          .isInstanceOf(CondenseException.class).hasMessageContaining("no layer (Conv, Gemm, MatMul) is named pool1");
      Int8Quantizer.Result full = Int8Quantizer.defaults().quantize(m, e, cal, Progress.NONE);
      // 88.5% − 88.2% is 0.30000000000000027 points in doubles: a drop of exactly the budget is within it
      QuantSensitivity.Table exact = new QuantSensitivity.Table(0.885, 0.882, 1000, 10, List.of());
      assertThat(MixedPrecision.choose(m, Int8Quantizer.defaults(), full, exact, 0.003, e, cal, 16, Progress.NONE).kept())
          .isEmpty();
      QuantSensitivity.Table t = new QuantSensitivity.Table(1.0, 0.5, 10, 10, List.of());
      assertThatThrownBy(() -> MixedPrecision.choose(m, Int8Quantizer.defaults(), full, t, 0.1, e, cal, 16, Progress.NONE))
          .isInstanceOf(CondenseException.class).hasMessageContaining("more than the max drop of 10.00 points");
    }
  }

  private static int argmax(float[] x, int sample) {
    int best = 0;
    for (int c = 1; c < 10; c++) {
      best = x[sample * 10 + c] > x[sample * 10 + best] ? c : best;
    }
    return best;
  }
}
