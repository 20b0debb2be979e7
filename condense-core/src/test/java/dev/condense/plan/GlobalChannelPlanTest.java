package dev.condense.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.report.ModelSummary;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.structure.Thinning;
import dev.condense.zoo.Zoo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobalChannelPlanTest {

  private static ChannelPlan plan(Model m, String target, ChannelImportance importance, ChannelFloor floor) {
    List<ChannelGroup> candidates = GlobalChannelPlan.candidates(m);
    Target t = Target.parse(target, "--target");
    return GlobalChannelPlan.plan(m, candidates, importance.score(m, candidates), t, Measure.counted(t.measure()), floor);
  }

  @Test
  void meetsAMultiplyAddTargetOnAResidualNetworkAndTheThinnedModelCostsWhatThePlanSays() {
    Model m = Zoo.create("resnet-20:shortcut=b", 1);
    ChannelPlan p = plan(m, "macs=0.5", ChannelImportance.l1(), ChannelFloor.DEFAULT);
    assertThat(p.reached()).isTrue();
    assertThat(p.achieved()).isLessThanOrEqualTo(0.5).isGreaterThan(0.45);
    Model thin = Thinning.apply(m, p.removals());
    assertThat((double) ModelSummary.of(thin).macs()).isEqualTo(p.after());
    assertThat(p.before()).isEqualTo(ModelSummary.of(m).macs());
    // The residual streams are candidates too (their producers are cut together).
    assertThat(p.rows()).anyMatch(r -> r.group().producers().size() > 1);
  }

  @Test
  void everyGroupKeepsItsFloorAlignedToTheBlock() {
    Model m = Zoo.create("vgg-16:width=0.25", 1);
    ChannelFloor floor = new ChannelFloor(0.5, 4, 4);
    ChannelPlan p = plan(m, "macs=0.6", ChannelImportance.l2(), floor);
    for (ChannelPlan.Row r : p.rows()) {
      assertThat(r.kept()).as(r.group().name()).isGreaterThanOrEqualTo(floor.minimum(r.group().size()));
      assertThat(r.kept() % 4 == 0 || r.kept() == r.group().size()).as(r.group().name() + " kept " + r.kept()).isTrue();
    }
    assertThat(p.reached()).isTrue();
    assertThat(p.achieved()).isLessThanOrEqualTo(0.6);
  }

  @Test
  void aTargetBeyondTheFloorsIsReportedAsNotReachedWithTheBestPlan() {
    Model m = Zoo.create("resnet-20", 1);
    ChannelPlan p = plan(m, "macs=0.05", ChannelImportance.l1(), new ChannelFloor(0.5, 1, 1));
    assertThat(p.reached()).isFalse();
    // Every group is at its floor: nothing more could go.
    assertThat(p.rows()).allMatch(r -> r.kept() == r.floor());
    assertThat(p.achieved()).isGreaterThan(0.05);
  }

  @Test
  void lowScoresGoFirstAcrossGroupsAfterNormalisation() {
    Model m = Zoo.create("lenet-5", 1);
    List<ChannelGroup> c = GlobalChannelPlan.candidates(m);
    assertThat(c).hasSizeGreaterThanOrEqualTo(2);
    // Group 0 scores are ten times group 1's, but the normalised ranks make channel 0 of each the
    // least important: a plan that removes two channels removes channel 0 of both groups.
    Map<ChannelGroup, double[]> scores = new java.util.LinkedHashMap<>();
    for (int i = 0; i < c.size(); i++) {
      double[] s = new double[c.get(i).size()];
      for (int j = 0; j < s.length; j++) {
        s[j] = (i == 0 ? 10 : 1) * (j == 0 ? 0.01 : 1 + j);
      }
      scores.put(c.get(i), s);
    }
    ChannelPlan p = GlobalChannelPlan.plan(m, c, scores, new Target(Measure.Kind.PARAMS, 0.999), Measure.PARAMS,
        new ChannelFloor(0, 1, 1));
    assertThat(p.reached()).isTrue();
    assertThat(p.rows().stream().filter(r -> r.remove().length > 0).allMatch(r -> r.remove()[0] == 0)).isTrue();
  }

  @Test
  void samePlanEveryTime() {
    Model m = Zoo.create("resnet-20", 3);
    ChannelPlan a = plan(m, "params=0.4", ChannelImportance.l2(), ChannelFloor.DEFAULT);
    ChannelPlan b = plan(m, "params=0.4", ChannelImportance.l2(), ChannelFloor.DEFAULT);
    assertThat(a.rows()).hasSameSizeAs(b.rows());
    for (int i = 0; i < a.rows().size(); i++) {
      assertThat(a.rows().get(i).remove()).isEqualTo(b.rows().get(i).remove());
    }
  }

  @Test
  void badTargetsAreOneLineErrorsNamingTheOption() {
    assertThatThrownBy(() -> Target.parse("flops=0.5", "--target")).isInstanceOf(CondenseException.class)
        .hasMessageContaining("--target flops=0.5").hasMessageContaining("macs, params");
    assertThatThrownBy(() -> Target.parse("macs=2", "--target")).hasMessageContaining("(0, 1)");
    assertThatThrownBy(() -> Target.parse("macs=x", "--target")).hasMessageContaining("'x' is not a number");
    assertThat(Target.parse("MACS=0.5", "--target")).isEqualTo(new Target(Measure.Kind.MACS, 0.5));
  }

  @Test
  void floorsRoundUpToTheBlock() {
    ChannelFloor f = new ChannelFloor(0.25, 1, 8);
    assertThat(f.minimum(64)).isEqualTo(16);
    assertThat(f.minimum(10)).isEqualTo(8);
    assertThat(f.minimum(4)).isEqualTo(4);
    assertThat(f.keep(64, 17)).isEqualTo(24);
    assertThat(f.keep(64, 3)).isEqualTo(16);
    assertThat(f.keep(20, 20)).isEqualTo(20);
  }
}
