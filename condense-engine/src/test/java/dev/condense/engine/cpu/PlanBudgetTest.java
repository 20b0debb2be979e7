package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.MemoryLimit;
import dev.condense.MemoryLimitException;
import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Session;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.numeric.JavaGemm;
import dev.condense.onnx.OnnxWriter;
import dev.condense.zoo.Zoo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A model that loads fine but whose planned buffers cannot fit is refused before anything is
 * allocated, naming the node and the amount and saying what helps (issue 17 §2).
 */
class PlanBudgetTest {

  /** x [N, 1] padded to [N, 1 + 1.6e9]: a few hundred bytes of ONNX, 6 GiB per sample. */
  private static Model hugePad() {
    return Model.of(new Graph.Builder("g").input(ValueInfo.batched("x", 1)).output(new ValueInfo("y", DType.FLOAT, null))
        .initializer("pads", Tensor.ofLongs(new long[] {0, 0, 0, 1_600_000_000L}, 4))
        .node(new Node("pad", "Pad", List.of("x", "pads"), List.of("y"))).build());
  }

  @Test
  void aSmallFileWhosePadNeedsGigabytesPerSampleIsRefusedNamingTheNode() {
    assertThat(OnnxWriter.toBytes(hugePad()).length).isLessThan(500);
    try (CpuEngine e = new CpuEngine(1, new JavaGemm(), false, MemoryLimit.forHeap(1L << 30));
        Session s = e.open(hugePad())) {
      assertThatThrownBy(() -> s.run(Map.of("x", Tensor.of(new float[] {1}, 1, 1))))
          .isInstanceOfSatisfying(MemoryLimitException.class, m -> assertThat(m.remedy()).isEqualTo(MemoryLimitException.Remedy.LIMIT))
          .hasMessageStartingWith("node 'pad' (Pad -> y): its output needs 6.0 GiB at a batch of 1")
          .hasMessageContaining("6.0 GiB")
          .hasMessageContaining("half the 1.0 GiB heap")
          .hasMessageContaining("not even one sample fits")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void aBatchTooLargeForTheLimitNamesTheBatchThatFitsAndThatOneRuns() {
    DataSplit data = DataSources.resolve("mnist", 64);
    Model m = Zoo.create("lenet-5", 1);
    try (CpuEngine e = new CpuEngine(1, new JavaGemm(), false, new MemoryLimit(64L << 20, 2L << 20, true)); Session s = e.open(m)) {
      assertThatThrownBy(() -> s.evaluate(data.test(), 64, dev.condense.engine.Progress.NONE))
          .isInstanceOfSatisfying(MemoryLimitException.class, x -> assertThat(x.remedy()).isEqualTo(MemoryLimitException.Remedy.BATCH))
          .hasMessageContaining("for a batch of 64 need")
          .hasMessageContaining("per sample), more than the 2.0 MiB a model may take (the memory limit)")
          .hasMessageContaining("a batch of at most");
      String msg = catchMessage(() -> s.evaluate(data.test(), 64, dev.condense.engine.Progress.NONE));
      int fits = Integer.parseInt(msg.replaceAll(".*a batch of at most (\\d+) fits.*", "$1"));
      assertThat(fits).isBetween(1, 63);
      assertThat(s.evaluate(data.test(), fits, dev.condense.engine.Progress.NONE).samples()).isEqualTo(64);
    }
  }

  private static String catchMessage(Runnable r) {
    try {
      r.run();
    } catch (MemoryLimitException e) {
      return e.getMessage();
    }
    throw new AssertionError("not refused");
  }
}
