package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Model;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.structure.Thinning;
import dev.condense.zoo.Zoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The latency target's measure times the first model it sees alone (the reference) and every
 * other model beside it; a model of the same structure is not timed twice.
 */
class OrtLatencyMeasureTest {
  @Test
  void theFirstModelIsTheReferenceAndEachStructureIsTimedOnce() {
    List<String> log = new ArrayList<>();
    OrtLatencyMeasure m = new OrtLatencyMeasure(1, 1, log::add);
    Model lenet = Zoo.create("lenet-5", 1);
    double ref = m.of(lenet);
    assertThat(ref).isPositive();
    assertThat(log).singleElement().asString().contains("(the reference)").contains("batch of 64, 1 thread");
    assertThat(m.of(Zoo.create("lenet-5", 2))).as("other weights, same structure: not timed again").isEqualTo(ref);
    assertThat(log).hasSize(1);
    ChannelGroup conv1 = ChannelGroups.of(lenet).stream().filter(g -> g.name().contains("conv1")).findFirst().orElseThrow();
    Model thin = Thinning.apply(lenet, Map.of(conv1, new int[] {0, 1, 2}));
    double t = m.of(thin);
    assertThat(t).isPositive();
    assertThat(log).hasSize(2);
    assertThat(log.get(1)).contains("beside the reference").contains(" of its time (");
  }
}
