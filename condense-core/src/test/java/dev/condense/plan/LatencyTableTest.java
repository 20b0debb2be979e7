package dev.condense.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.report.ModelSummary;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.Thinning;
import dev.condense.zoo.Zoo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A latency table steers a global plan's kept counts: with a table where 64 channels run faster
 * than 57, a group the ranking cuts to 57 keeps 64 and the plan removes other channels to stay
 * within the target; with one where 64 is slower nothing moves; and where the moved counts cannot
 * reach the target, the plan keeps the ranked counts. Timers are fakes that cost a layer by its
 * multiply-adds (no wall time is measured).
 */
class LatencyTableTest {
  private static Model model;
  private static List<ChannelGroup> candidates;
  private static ChannelGroup wide;
  private static Map<ChannelGroup, double[]> scores;
  private static Target target;
  private static final ChannelFloor FLOOR = new ChannelFloor(0.75, 1, 1);

  /**
   * ResNet-20: the first 64-channel group's channels 0-6 score far below every other channel, and
   * the target is exactly the multiply-adds without them, so the ranking's plan cuts that group
   * from 64 to 57 and nothing else.
   */
  @BeforeAll
  static void setUp() {
    model = Zoo.create("resnet-20", 1);
    candidates = GlobalChannelPlan.candidates(model);
    wide = candidates.stream().filter(g -> g.size() == 64 && g.producers().size() == 1).findFirst().orElseThrow();
    scores = new LinkedHashMap<>();
    for (ChannelGroup g : candidates) {
      double[] s = new double[g.size()];
      for (int j = 0; j < s.length; j++) {
        s[j] = g == wide && j < 7 ? 0.01 : 1;
      }
      scores.put(g, s);
    }
    double before = Measure.MACS.of(model);
    double without7 = Measure.MACS.of(Thinning.apply(model, Map.of(wide, IntStream.range(0, 7).toArray())));
    target = new Target(Measure.Kind.MACS, without7 / before + 1e-9);
  }

  private static LatencyTable table(LayerTimer timer, ChannelFloor floor) {
    return LatencyTable.build(model, candidates, floor, 1, timer, null, line -> { });
  }

  private static ChannelPlan.Row row(ChannelPlan p, ChannelGroup g) {
    return p.rows().stream().filter(r -> r.group().equals(g)).findFirst().orElseThrow();
  }

  /** The plan meets its target as the thinned model counts it. */
  private static void meetsTheTarget(ChannelPlan p, Target t) {
    assertThat(p.reached()).isTrue();
    double measured = ModelSummary.of(Thinning.apply(model, p.removals())).macs();
    assertThat(measured).isEqualTo(p.after());
    assertThat(measured).isLessThanOrEqualTo(t.fraction() * p.before());
  }

  @Test
  void withoutATableTheRankingCutsTheWideGroupTo57() {
    ChannelPlan p = GlobalChannelPlan.plan(model, candidates, scores, target, Measure.MACS, FLOOR);
    assertThat(row(p, wide).kept()).isEqualTo(57);
    assertThat(p.rows()).filteredOn(r -> !r.group().equals(wide)).allMatch(r -> r.kept() == r.group().size());
    assertThat(p.rows()).noneMatch(ChannelPlan.Row::moved);
    meetsTheTarget(p, target);
  }

  @Test
  void aTableWhere64IsFasterThan57MovesTheCountUpAndTheTargetStillHolds() {
    LatencyTable t = table(new ShapeTimer(0.5, "fake"), FLOOR);
    assertThat(t.ms(wide, 64)).isLessThan(t.ms(wide, 57));
    ChannelPlan p = GlobalChannelPlan.plan(model, candidates, scores, target, Measure.MACS, FLOOR, t, 16);
    ChannelPlan.Row r = row(p, wide);
    assertThat(r.ranked()).isEqualTo(57);
    assertThat(r.kept()).isEqualTo(64);
    assertThat(p.table()).isSameAs(t);
    meetsTheTarget(p, target);
    // The channels the move kept were paid for elsewhere, and no count moved to a slower one.
    assertThat(p.rows()).anyMatch(x -> x.kept() < x.group().size() && !x.group().equals(wide));
    for (ChannelPlan.Row x : p.rows()) {
      assertThat(t.ms(x.group(), x.kept())).as(x.group().name()).isLessThanOrEqualTo(t.ms(x.group(), x.ranked()));
      assertThat(x.kept()).isGreaterThanOrEqualTo(x.ranked()).isLessThanOrEqualTo((x.ranked() + 15) / 16 * 16);
    }
  }

  @Test
  void aTableWhere64IsSlowerMovesNothing() {
    LatencyTable t = table(new ShapeTimer(2.0, "fake"), FLOOR);
    assertThat(t.ms(wide, 64)).isGreaterThan(t.ms(wide, 57));
    ChannelPlan plain = GlobalChannelPlan.plan(model, candidates, scores, target, Measure.MACS, FLOOR);
    ChannelPlan p = GlobalChannelPlan.plan(model, candidates, scores, target, Measure.MACS, FLOOR, t, 16);
    assertThat(row(p, wide).kept()).isEqualTo(57);
    assertThat(p.rows()).noneMatch(ChannelPlan.Row::moved);
    assertThat(p.rows().stream().map(ChannelPlan.Row::kept).toList())
        .isEqualTo(plain.rows().stream().map(ChannelPlan.Row::kept).toList());
    meetsTheTarget(p, target);
  }

  @Test
  void whereTheMovedCountsCannotReachTheTargetThePlanKeepsTheRankedOnes() {
    // Floors of 15, 29 and 57 of 16, 32 and 64 channels, and a target only the floors themselves meet:
    // every floor would move up to a multiple of 16, which no ranking could pay for.
    ChannelFloor high = new ChannelFloor(0.89, 1, 1);
    ChannelPlan all = GlobalChannelPlan.plan(model, candidates, scores, new Target(Measure.Kind.MACS, 0.01),
        Measure.MACS, high);
    Target tight = new Target(Measure.Kind.MACS, all.after() / all.before() + 1e-9);
    LatencyTable t = table(new ShapeTimer(0.5, "fake"), high);
    ChannelPlan p = GlobalChannelPlan.plan(model, candidates, scores, tight, Measure.MACS, high, t, 16);
    assertThat(p.table()).isNull();
    assertThat(p.rows()).allMatch(r -> r.kept() == r.floor()).noneMatch(ChannelPlan.Row::moved);
    meetsTheTarget(p, tight);
  }

  @Test
  void theTableHoldsEveryCountFromTheFloorUpInStepsOfTheAlignment() {
    ChannelFloor aligned = new ChannelFloor(0.5, 1, 4);
    assertThat(LatencyTable.counts(wide, aligned)).containsExactly(32, 36, 40, 44, 48, 52, 56, 60, 64);
    assertThat(LatencyTable.counts(wide, FLOOR)).hasSize(17).startsWith(48).endsWith(64);
  }

  @Test
  void theMoveNeverDecreasesAsTheRankingKeepsMore() {
    LatencyTable t = table(new ShapeTimer(0.5, "fake"), FLOOR);
    int last = 0;
    for (int kept = 48; kept <= 64; kept++) {
      int f = t.favoured(wide, kept, 16);
      assertThat(f).isGreaterThanOrEqualTo(Math.max(kept, last));
      last = f;
    }
    assertThat(t.favoured(wide, 48, 16)).as("48 is a multiple of 16: its window is itself").isEqualTo(48);
    assertThat(t.favoured(wide, 49, 16)).isEqualTo(64);
  }
}
