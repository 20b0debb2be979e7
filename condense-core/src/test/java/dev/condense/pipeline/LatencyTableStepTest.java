package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.engine.Evaluation;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.plan.ChannelFloor;
import dev.condense.plan.Criterion;
import dev.condense.plan.LatencyTableSpec;
import dev.condense.plan.LayerTimer;
import dev.condense.plan.Target;
import dev.condense.report.ModelSummary;
import dev.condense.report.Round;
import dev.condense.report.StructureReport;
import dev.condense.report.TabledCount;
import dev.condense.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prune-to-target with a latency table: refused without a layer timer, naming where to give one;
 * with one, the table is cached in the step's directory or else the run's, and the step still
 * meets its target; the structure report prints a round's tabled counts.
 */
class LatencyTableStepTest {
  /** A fake timer: a layer costs the product of its weight's dims, half where both widths are multiples of 16. */
  private static final LayerTimer FAKE = new LayerTimer() {
    public double ms(Model layer) {
      Tensor w = layer.graph().initializer(layer.graph().nodes().get(0).input(1));
      return w.size() * (w.dim(0) % 16 == 0 && w.dim(1) % 16 == 0 ? 0.5 : 1) * 1e-6;
    }

    public String setting() {
      return "fake";
    }
  };

  private static Step.PruneToTarget step(LatencyTableSpec spec) {
    return new Step.PruneToTarget(Target.parse("macs=0.6", "target"), Criterion.L1, new ChannelFloor(0.5, 1, 1), 1,
        Step.PruneToTarget.SAMPLES, Double.NaN, TrainSettings.defaults().withEpochs(0), spec);
  }

  private static long files(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void withoutALayerTimerTheStepIsRefusedNamingWhereToGiveOne() {
    Model m = Zoo.create("lenet-5", 1);
    assertThatThrownBy(() -> step(LatencyTableSpec.defaults()).apply(m, StepContext.withoutData(m, 1)))
        .isInstanceOf(CondenseException.class).hasMessageContaining("prune-to-target")
        .hasMessageContaining("Pipeline.withLayerTimer");
  }

  @Test
  void theTableIsCachedInTheStepsDirectoryOrElseTheRunsAndTheTargetHolds(@TempDir Path dir) throws Exception {
    Model m = Zoo.create("resnet-20", 1);
    Path run = dir.resolve("run");
    Path own = dir.resolve("own");
    StepContext ctx = StepContext.withoutData(m, 1);
    ctx.timeLayersWith(FAKE, run);
    Model thin = step(LatencyTableSpec.defaults()).apply(m, ctx);
    assertThat((double) ModelSummary.of(thin).macs()).isLessThanOrEqualTo(0.6 * ModelSummary.of(m).macs());
    assertThat(files(run)).isEqualTo(1);
    StepContext other = StepContext.withoutData(m, 1);
    other.timeLayersWith(FAKE, run);
    Model again = step(new LatencyTableSpec(1, LatencyTableSpec.REACH, own)).apply(m, other);
    assertThat(files(own)).isEqualTo(1);
    assertThat(ModelSummary.of(again).macs()).isEqualTo(ModelSummary.of(thin).macs());
  }

  @Test
  void theStructureReportPrintsARoundsTabledCounts() {
    Model m = Zoo.create("lenet-5", 1);
    Evaluation e = new Evaluation(10, 1, 0.5, 0.9, new int[10]);
    Round r = new Round("prune-to-target", 1, Map.of("conv2", 48), 10, 10, 0.5, 0.5,
        List.of(new TabledCount("conv2", 50, 45, 48, 0.30, 0.29, 0.21), new TabledCount("ip1", 500, 250, 250, 1, 0.5, 0.5)));
    StructureReport s = StructureReport.build(m, m, e, e, List.of(r), List.of());
    assertThat(s.toMarkdown()).contains("| MACs after | tabled ms, kept |")
        .containsPattern("\\| conv2 \\| 50 \\| [0-9,]+ \\| [0-9,]+ \\| [0-9,]+ \\| [0-9,]+ \\| 0.2100 \\|")
        .contains("### Latency table, prune-to-target round 1")
        .contains("| conv2 | 50 | 45 | 48 (moved) | 0.3000 | 0.2900 | 0.2100 |")
        .contains("| ip1 | 500 | 250 | 250 | 1.0000 | 0.5000 | 0.5000 |");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rounds = (List<Map<String, Object>>) s.toJson().get("rounds");
    assertThat((List<?>) rounds.get(0).get("latency_table")).hasSize(2);
  }
}
