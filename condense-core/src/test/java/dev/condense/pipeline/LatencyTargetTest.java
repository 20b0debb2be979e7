package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.plan.Measure;
import dev.condense.report.ModelSummary;
import dev.condense.zoo.Zoo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A latency target is met with the latency measure the caller gives the pipeline: the plan asks
 * it for every model it probes, and the result keeps at most the target's share of what the
 * measure says of the original. Without a measure the step refuses, naming what is missing.
 */
class LatencyTargetTest {
  static final Recipe HALF = RecipeReader.parse("""
      steps:
        - prune-to-target: {target: latency=0.5, criterion: l1, retrain: {epochs: 0}}
      """, "latency.yaml");

  /** A stand-in for a timed runtime: a fixed cost per call plus one per multiply-add, and a record of the calls. */
  static final class CountingLatency implements Measure {
    final List<Double> seen = new ArrayList<>();

    public Kind kind() {
      return Kind.LATENCY;
    }

    public double of(Model model) {
      double ms = 0.2 + ModelSummary.of(model).macs() * 1e-6;
      seen.add(ms);
      return ms;
    }
  }

  @Test
  void theMeasureGivenToThePipelineDecidesHowManyChannelsGo() {
    Model vgg = Zoo.create("vgg-16:width=0.125", 1);
    CountingLatency latency = new CountingLatency();
    Pipeline.Result r = PipelineRunsTest.pipeline().withLatency(latency).run(vgg, HALF.steps());
    double before = latency.of(vgg);
    double after = latency.of(r.model());
    assertThat(after).isLessThanOrEqualTo(0.5 * before);
    // the fixed 0.2 ms does not fall with channels: more than half the multiply-adds must go
    assertThat((double) ModelSummary.of(r.model()).macs()).isLessThan(0.5 * ModelSummary.of(vgg).macs());
    assertThat(latency.seen.size()).as("the plan's search probes several thinned models").isGreaterThan(4);
  }

  @Test
  void withoutALatencyMeasureTheStepSaysWhatIsMissing() {
    Model vgg = Zoo.create("vgg-16:width=0.125", 1);
    assertThatThrownBy(() -> PipelineRunsTest.pipeline().run(vgg, HALF.steps()))
        .isInstanceOf(CondenseException.class)
        .hasMessageContaining("prune-to-target: a latency target needs a latency measure")
        .hasMessageContaining("Pipeline.withLatency");
  }
}
