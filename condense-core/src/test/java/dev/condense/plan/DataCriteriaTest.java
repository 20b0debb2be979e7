package dev.condense.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.Dataset;
import dev.condense.data.ImageSet;
import dev.condense.data.Normalization;
import dev.condense.engine.Progress;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.zoo.NetBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The data-driven criteria on a constructed case: in conv → ReLU → conv → pool → fc, channel 2 of
 * the first conv has the largest filter but the second conv reads it with zero weights, so the
 * loss does not depend on it (zero gradient through it, zero contribution to the next layer's
 * output). Taylor and reconstruction rank it last; the magnitude criteria, which see only its
 * filter, rank it first. Taylor's gradient is checked against central differences of the loss.
 */
class DataCriteriaTest {
  static final int DEAD = 2;

  static Model model() {
    NetBuilder b = new NetBuilder("dead", "input", new int[] {1, 6, 6}, 3);
    String x = b.relu("r0", b.conv("c0", "input", 4, 3, 1, 1));
    String y = b.relu("r1", b.conv("c1", x, 3, 3, 1, 1));
    Graph g = b.build(b.gemm("fc", b.flatten("flat", b.globalAveragePool("gap", y)), 3), 3);
    Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
    float[] c0 = init.get("c0.weight").floats();
    for (int k = 0; k < 9; k++) {
      c0[DEAD * 9 + k] = 3f; // the biggest filter of c0
    }
    init.put("c0.weight", Tensor.of(c0, 4, 1, 3, 3));
    float[] c1 = init.get("c1.weight").floats();
    for (int o = 0; o < 3; o++) {
      for (int k = 0; k < 9; k++) {
        c1[(o * 4 + DEAD) * 9 + k] = 0f; // c1 does not read it
      }
    }
    init.put("c1.weight", Tensor.of(c1, 3, 4, 3, 3));
    return Model.of(g.withInitializers(init));
  }

  static Dataset images() {
    SplittableRandom r = new SplittableRandom(11);
    byte[] px = new byte[40 * 36];
    int[] labels = new int[40];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(3);
    }
    return new ImageSet("random", px, labels, 1, 6, 6, 3, Normalization.UNIT);
  }

  private static double[] scores(Criterion c) {
    Model m = model();
    List<ChannelGroup> groups = ChannelGroups.of(m);
    ChannelGroup c0 = groups.stream().filter(g -> g.producers().contains("c0")).findFirst().orElseThrow();
    try (CpuEngine engine = new CpuEngine(1)) {
      return c.importance(engine, images(), 5, Progress.NONE).score(m, List.of(c0)).get(c0);
    }
  }

  private static int lowest(double[] s) {
    int best = 0;
    for (int j = 1; j < s.length; j++) {
      best = s[j] < s[best] ? j : best;
    }
    return best;
  }

  @Test
  void aChannelTheLossDoesNotSeeRanksLastByTaylorAndReconstructionAndFirstByMagnitude() {
    for (Criterion c : List.of(Criterion.TAYLOR, Criterion.RECONSTRUCTION)) {
      double[] s = scores(c);
      assertThat(s[DEAD]).as(c + " " + java.util.Arrays.toString(s)).isEqualTo(0.0);
      assertThat(lowest(s)).as(c.key()).isEqualTo(DEAD);
      for (int j = 0; j < s.length; j++) {
        assertThat(j == DEAD || s[j] > 0).as(c + " channel " + j + ": " + java.util.Arrays.toString(s)).isTrue();
      }
    }
    double[] l1 = scores(Criterion.L1);
    assertThat(l1[DEAD]).isEqualTo(java.util.Arrays.stream(l1).max().orElseThrow());
  }

  @Test
  void taylorIsTheLossSlopeInTheChannelsScaleByCentralDifferences() {
    Model m = model();
    ChannelGroup c0 = ChannelGroups.of(m).stream().filter(g -> g.producers().contains("c0")).findFirst().orElseThrow();
    double[] taylor = scores(Criterion.TAYLOR);
    double h = 1e-3;
    try (CpuEngine engine = new CpuEngine(1)) {
      for (int j = 0; j < c0.size(); j++) {
        double slope = (loss(engine, scaled(m, c0, j, 1 + h)) - loss(engine, scaled(m, c0, j, 1 - h))) / (2 * h);
        assertThat(taylor[j]).as("channel %d", j).isCloseTo(Math.abs(slope), org.assertj.core.data.Offset.offset(2e-3 + 0.02 * Math.abs(slope)));
      }
    }
  }

  /** The mean cross-entropy of the one calibration batch (every sample; no dropout or BatchNorm in the model). */
  private static double loss(CpuEngine engine, Model m) {
    try (dev.condense.engine.Session s = engine.open(m)) {
      return s.evaluate(images(), 64, Progress.NONE).loss();
    }
  }

  /** {@code m} with every weight channel {@code j} of {@code g} owns multiplied by {@code factor}. */
  private static Model scaled(Model m, ChannelGroup g, int j, double factor) {
    Map<String, Tensor> init = new LinkedHashMap<>(m.graph().initializers());
    for (dev.condense.structure.Slice s : g.slices()) {
      Tensor t = init.get(s.tensor());
      float[] v = t.floats();
      s.forEachIndex(t.shape(), j, i -> v[i] = (float) (v[i] * factor));
      init.put(s.tensor(), Tensor.of(v, t.shape()));
    }
    return m.withGraph(m.graph().withInitializers(init));
  }
}
