package dev.condense.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.PerLayer;
import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.zoo.Zoo;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MagnitudePrunerTest {
  final Model lenet = Zoo.create("lenet-300-100", 1);

  @Test
  void perLayerSparsityPrunesExactlyTheSmallest() {
    Masks m = MagnitudePruner.prune(lenet, new PruningCriterion.Sparsity(PerLayer.only(Map.of("ip1", 0.9, "ip3", 0.5))), null);
    assertThat(m.kept("ip1.weight")).isEqualTo(235_200 - Math.round(0.9 * 235_200));
    assertThat(m.kept("ip2.weight")).isEqualTo(30_000);
    assertThat(m.kept("ip3.weight")).isEqualTo(500);
    float[] w = lenet.graph().initializer("ip1.weight").floats();
    boolean[] keep = m.get("ip1.weight");
    float maxPruned = 0;
    float minKept = Float.MAX_VALUE;
    for (int i = 0; i < w.length; i++) {
      if (keep[i]) {
        minKept = Math.min(minKept, Math.abs(w[i]));
      } else {
        maxPruned = Math.max(maxPruned, Math.abs(w[i]));
      }
    }
    assertThat(maxPruned).isLessThanOrEqualTo(minKept);
  }

  @Test
  void roundingIsHalfToEvenLikePyTorch() {
    // ip3 has 1000 weights: 0.0625 × 1000 = 62.5 rounds to 62, 0.0635 × 1000 = 63.5 to 64.
    assertThat(1000 - MagnitudePruner.prune(lenet, new PruningCriterion.Sparsity(PerLayer.only(Map.of("ip3", 0.0625))), null)
        .kept("ip3.weight")).isEqualTo(62);
    assertThat(1000 - MagnitudePruner.prune(lenet, new PruningCriterion.Sparsity(PerLayer.only(Map.of("ip3", 0.0635))), null)
        .kept("ip3.weight")).isEqualTo(64);
  }

  @Test
  void qualityTimesStdIsTheThreshold() {
    Masks m = MagnitudePruner.prune(lenet, new PruningCriterion.Quality(PerLayer.all(1.0)), null);
    float[] w = lenet.graph().initializer("ip2.weight").floats();
    boolean[] all = new boolean[w.length];
    java.util.Arrays.fill(all, true);
    double std = MagnitudePruner.std(w, all);
    boolean[] keep = m.get("ip2.weight");
    for (int i = 0; i < w.length; i++) {
      assertThat(keep[i]).isEqualTo(Math.abs(w[i]) >= std);
    }
    // Uniform init in ±b: |w| < σ = b/√3 for a fraction 1/√3 ≈ 57.7% of the weights.
    assertThat(1 - (double) m.kept("ip2.weight") / w.length).isCloseTo(0.577, org.assertj.core.data.Offset.offset(0.02));
  }

  @Test
  void globalSparsityAcrossLayersAndMonotoneMasks() {
    Masks g = MagnitudePruner.prune(lenet, new PruningCriterion.GlobalSparsity(0.8), null);
    assertThat((double) g.keptTotal() / g.sizeTotal()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-4));
    Model pruned = g.apply(lenet);
    Masks more = MagnitudePruner.prune(pruned, new PruningCriterion.Sparsity(PerLayer.all(0.5)), g);
    for (String w : g.byWeight().keySet()) {
      boolean[] before = g.get(w);
      boolean[] after = more.get(w);
      for (int i = 0; i < before.length; i++) {
        assertThat(!before[i] && after[i]).as("pruned weight revived").isFalse();
      }
    }
    assertThat(Masks.fromZeros(pruned).keptTotal()).isEqualTo(g.keptTotal());
  }

  @Test
  void unknownLayersAndBadFractionsAreClearErrors() {
    assertThatThrownBy(() -> MagnitudePruner.prune(lenet, new PruningCriterion.Sparsity(PerLayer.only(Map.of("fc9", 0.5))), null))
        .isInstanceOf(CondenseException.class).hasMessageContaining("fc9").hasMessageContaining("ip1");
    assertThatThrownBy(() -> MagnitudePruner.prune(lenet, new PruningCriterion.Sparsity(PerLayer.only(Map.of("ip1", 1.5))), null))
        .hasMessageContaining("[0, 1]");
  }

  @Test
  void gradualScheduleIsCubic() {
    GradualSchedule s = new GradualSchedule(0, 0.9, 10);
    assertThat(s.at(0)).isEqualTo(0);
    assertThat(s.at(10)).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.at(5)).isCloseTo(0.9 * (1 - 0.125), org.assertj.core.data.Offset.offset(1e-12));
  }
}
