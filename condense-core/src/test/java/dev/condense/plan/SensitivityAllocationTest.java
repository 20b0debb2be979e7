package dev.condense.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SensitivityAllocationTest {
  private static final double[] GRID = {0, 0.5, 0.8, 0.9, 0.95};

  /** A layer of {@code n} weights whose accuracy falls by {@code drops[i]} at GRID[i]. */
  private static SensitivityAllocation.LayerCurve layer(String name, long n, double bits, double... drops) {
    double[] top1 = new double[drops.length];
    for (int i = 0; i < drops.length; i++) {
      top1[i] = 0.9 - drops[i];
    }
    return new SensitivityAllocation.LayerCurve(name, n, bits, top1);
  }

  @Test
  void tolerantLayersGoFurtherThanSensitiveOnesAndTheTargetIsMet() {
    var fragile = layer("conv1", 500, 32, 0, 0.01, 0.10, 0.30, 0.50);
    var tolerant = layer("ip1", 400_000, 32, 0, 0, 0, 0.002, 0.02);
    var a = SensitivityAllocation.allocate(0.9, GRID, List.of(fragile, tolerant), 0.15);
    assertThat(a.reached()).isTrue();
    assertThat(a.sparsity().get("ip1")).isEqualTo(0.9);
    assertThat(a.sparsity().get("conv1")).isEqualTo(0.0);
    assertThat(a.tolerance()).isEqualTo(0.002, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(a.share()).isLessThanOrEqualTo(0.15);
  }

  @Test
  void aLayerStopsAtTheFirstSparsityBeyondItsToleranceEvenIfALaterOneRecovers() {
    // 80% loses 5 points, 90% only 1 (noise): the allocation does not jump over the bad point.
    var bumpy = layer("fc", 1000, 32, 0, 0, 0.05, 0.01, 0.2);
    var a = SensitivityAllocation.allocate(0.9, GRID, List.of(bumpy), 0.5);
    assertThat(a.sparsity().get("fc")).isEqualTo(0.5);
  }

  @Test
  void sizeTargetsCountTheBitsOfWhatIsKept() {
    // 13 bits per kept weight (8-bit index + 5-bit gap): 90% sparsity is 0.1 * 13/32 = 4.06% of the size.
    var l = layer("ip1", 1000, 13, 0, 0, 0, 0, 0.5);
    var a = SensitivityAllocation.allocate(0.9, GRID, List.of(l), 0.05);
    assertThat(a.reached()).isTrue();
    assertThat(a.sparsity().get("ip1")).isEqualTo(0.9);
    assertThat(a.share()).isEqualTo(0.1 * 13 / 32, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void anUnreachableTargetReturnsTheSparsestAllocationMarkedNotReached() {
    var l = layer("ip1", 1000, 32, 0, 0.1, 0.2, 0.3, 0.4);
    var a = SensitivityAllocation.allocate(0.9, GRID, List.of(l), 0.01);
    assertThat(a.reached()).isFalse();
    assertThat(a.sparsity().get("ip1")).isEqualTo(0.95);
    assertThat(a.share()).isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void theDefaultGridIsAscendingFromZeroAndReachesNinetyNinePercent() {
    double[] g = SensitivityAllocation.defaultSparsities();
    assertThat(g[0]).isZero();
    assertThat(g[g.length - 1]).isEqualTo(0.99);
    for (int i = 1; i < g.length; i++) {
      assertThat(g[i]).isGreaterThan(g[i - 1]);
    }
  }
}
