package dev.condense.quant.int8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BatchNormalization folded into the convolution before it computes what the two computed. */
class BatchNormFoldingTest {

  /** {@code m} with random BatchNorm scale, shift, mean and variance (seeded), so folding has work to do. */
  static Model withRandomStatistics(Model m, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Graph g = m.graph();
    for (Node n : g.nodes()) {
      if (!OpTable.standard().is(n, Kind.NORMALIZATION)) {
        continue;
      }
      for (int slot = 1; slot <= 4; slot++) {
        float[] v = g.initializer(n.input(slot)).floatsCopy();
        for (int i = 0; i < v.length; i++) {
          v[i] = slot == 1 || slot == 4 ? (float) (0.5 + r.nextDouble()) : (float) (r.nextDouble() - 0.5);
        }
        g = g.withInitializer(n.input(slot), Tensor.of(v, v.length));
      }
    }
    return m.withGraph(g);
  }

  @Test
  void theFoldedResNetComputesWhatTheOriginalComputed() {
    Model m = withRandomStatistics(Int8QuantizerTest.resnet8(), 7);
    Model folded = BatchNormFolding.fold(m, OpTable.standard());
    assertThat(folded.graph().nodes()).noneMatch(n -> OpTable.standard().is(n, Kind.NORMALIZATION));
    float[] x = new float[4 * 3 * 16 * 16];
    SplittableRandom r = new SplittableRandom(8);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    Tensor in = Tensor.of(x, 4, 3, 16, 16);
    try (CpuEngine e = new CpuEngine(1); Session a = e.open(m); Session b = e.open(folded)) {
      float[] ya = a.run(Map.of("input", in)).values().iterator().next().floats();
      float[] yb = b.run(Map.of("input", in)).values().iterator().next().floats();
      double scale = 0;
      for (float v : ya) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < ya.length; i++) {
        assertThat((double) Math.abs(ya[i] - yb[i])).isLessThanOrEqualTo(1e-5 * scale + 1e-6);
      }
    }
  }
}
