package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.data.DataSources;
import dev.condense.data.Dataset;
import dev.condense.engine.Constraints;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.zoo.Zoo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * An engine owns its worker threads and stops them on close; a closed session, or a session of a
 * closed engine, refuses every use with a clear error instead of running on (or hanging on a
 * stopped pool), as ONNX Runtime's OrtSession does.
 */
class EngineLifecycleTest {
  static final Model MODEL = Zoo.create("lenet-300-100", 1);
  static final Dataset DATA = DataSources.resolve("mnist", 64).test();
  static final Map<String, Tensor> INPUT = Map.of("input", Tensor.of(new float[784], 1, 1, 28, 28));

  /** Every use a session offers. */
  static final List<Consumer<Session>> USES = List.of(
      s -> s.run(INPUT),
      s -> s.run(INPUT, List.of("ip1")),
      s -> s.evaluate(DATA, 32, Progress.NONE),
      s -> s.capture(DATA, 32, List.of("ip1"), (n, v, sh, l) -> { }, Progress.NONE),
      s -> s.train(DATA, TrainConfig.defaults().withEpochs(1), Constraints.NONE, null, Progress.NONE),
      Session::export,
      s -> s.sharedTable("ip1.weight"),
      s -> s.setWeights(MODEL));

  @Test
  void aClosedSessionThrowsOnEveryUse() {
    try (Engine engine = new CpuEngine(2)) {
      Session s = engine.open(MODEL);
      assertThat(s.run(INPUT)).containsKey("ip3");
      s.close();
      s.close();
      for (Consumer<Session> use : USES) {
        assertThatThrownBy(() -> use.accept(s)).isInstanceOf(IllegalStateException.class)
            .hasMessage("the session is closed");
      }
    }
  }

  @Test
  void aClosedEngineOpensNothingAndItsSessionsStop() {
    Engine engine = new CpuEngine(2);
    Session s = engine.open(MODEL);
    engine.close();
    engine.close();
    assertThatThrownBy(() -> engine.open(MODEL)).isInstanceOf(IllegalStateException.class)
        .hasMessage("the engine is closed");
    for (Consumer<Session> use : USES) {
      assertThatThrownBy(() -> use.accept(s)).isInstanceOf(IllegalStateException.class)
          .hasMessage("the session's engine is closed");
    }
    s.close();
  }

  @Test
  void closeStopsTheWorkerThreads() throws InterruptedException {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    CpuEngine engine = new CpuEngine(3);
    List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().startsWith("condense-worker-")).toList();
    assertThat(workers).hasSize(2);
    try (Session s = engine.open(MODEL)) {
      s.evaluate(DATA, 32, Progress.NONE);
    }
    engine.close();
    for (Thread t : workers) {
      t.join(5_000);
      assertThat(t.isAlive()).as(t.getName()).isFalse();
    }
  }
}
