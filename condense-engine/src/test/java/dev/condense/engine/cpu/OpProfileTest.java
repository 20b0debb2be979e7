package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Constraints;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.zoo.Zoo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A profiled session times every node and step part, and trains exactly as an unprofiled one. */
class OpProfileTest {
  @Test
  void timesEveryNodeAndLeavesTrainingUnchanged() {
    Model m = Zoo.create("lenet-5", 2);
    OpProfile profile = new OpProfile();
    try (CpuEngine engine = new CpuEngine(2)) {
      Model plain;
      Model timed;
      try (Session s = engine.open(m)) {
        s.train(SessionTest.DATA.train().head(128), SessionTest.ONE, Constraints.NONE, null, Progress.NONE);
        plain = s.export();
      }
      try (Session s = engine.open(m, profile)) {
        s.train(SessionTest.DATA.train().head(128), SessionTest.ONE, Constraints.NONE, null, Progress.NONE);
        timed = s.export();
      }
      for (Map.Entry<String, Tensor> e : plain.graph().initializers().entrySet()) {
        assertThat(timed.graph().initializer(e.getKey()).floats()).containsExactly(e.getValue().floats());
      }
    }
    assertThat(profile.steps()).isEqualTo(4);
    assertThat(profile.nanos(OpProfile.Part.OPTIMIZER)).isPositive();
    OpProfile.Row conv2 = profile.rows().stream().filter(r -> r.node().contains("conv2")).findFirst().orElseThrow();
    assertThat(conv2.kind()).isEqualTo("Conv");
    assertThat(conv2.calls()).isEqualTo(4);
    assertThat(conv2.forwardNanos()).isPositive();
    assertThat(conv2.backwardNanos()).isPositive();
    // LeNet-5's conv2: 50 outputs of 8×8, each 20·5·5 products, for 32 images; backward: dX and dW
    assertThat(conv2.forwardMultiplyAdds()).isEqualTo(32L * 50 * 8 * 8 * 20 * 5 * 5);
    assertThat(conv2.backwardMultiplyAdds()).isEqualTo(2 * conv2.forwardMultiplyAdds());
    profile.reset();
    assertThat(profile.rows()).allMatch(r -> r.nanos() == 0 && r.node().isEmpty());
  }
}
