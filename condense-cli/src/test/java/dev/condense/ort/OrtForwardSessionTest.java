package dev.condense.ort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.condense.CondenseException;
import dev.condense.PerLayer;
import dev.condense.data.Dataset;
import dev.condense.data.ImageSet;
import dev.condense.data.Normalization;
import dev.condense.engine.Constraints;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.ops.ShapeInference;
import dev.condense.prune.MagnitudePruner;
import dev.condense.prune.PruningCriterion;
import dev.condense.zoo.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link OrtEngine} against the CPU engine on the same model and data: every intermediate value
 * captured (as an extra graph output) within 1e-5, evaluations with the same loss and the same
 * predictions, new weights through {@code setWeights}; and the refusals — training, a trained
 * table, a changed graph, use after close.
 */
class OrtForwardSessionTest {
  private static final Model LENET5 = Zoo.create("lenet-5", 3);

  private static Dataset images(int n, int channels, int size, int classes, long seed) {
    byte[] pixels = new byte[n * channels * size * size];
    int[] labels = new int[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(classes);
    }
    return new ImageSet("random", pixels, labels, channels, size, size, classes, Normalization.of(127f, 64f));
  }

  /** The graph input and every float value a node computes. */
  private static List<String> floatValues(Model m) {
    ShapeInference.Result types = ShapeInference.infer(m.graph(), Map.of());
    List<String> values = new ArrayList<>(List.of(m.graph().inputs().get(0).name()));
    for (Node n : m.graph().nodes()) {
      n.outputs().stream().filter(v -> types.type(v).dtype() == DType.FLOAT).forEach(values::add);
    }
    return values;
  }

  /** Every captured value of every batch, concatenated per value, with the batch sizes seen. */
  private static List<float[]> capture(Session s, Dataset data, int batch, List<String> values, List<Integer> batches) {
    List<List<Float>> parts = new ArrayList<>();
    values.forEach(v -> parts.add(new ArrayList<>()));
    s.capture(data, batch, values, (n, arrays, shapes, labels) -> {
      batches.add(n);
      for (int i = 0; i < arrays.length; i++) {
        assertThat(shapes[i][0]).as(values.get(i)).isEqualTo(n);
        int size = (int) Tensor.numel(shapes[i]);
        for (int k = 0; k < size; k++) {
          parts.get(i).add(arrays[i][k]);
        }
      }
    }, Progress.NONE);
    List<float[]> out = new ArrayList<>();
    for (List<Float> p : parts) {
      float[] a = new float[p.size()];
      for (int k = 0; k < a.length; k++) {
        a[k] = p.get(k);
      }
      out.add(a);
    }
    return out;
  }

  @Test
  void everyIntermediateValueCapturedInOnnxRuntimeIsTheEnginesWithin1e5() {
    Dataset data = images(70, 1, 28, 10, 11);
    List<String> values = floatValues(LENET5);
    assertThat(values).hasSizeGreaterThan(6);
    List<Integer> ortBatches = new ArrayList<>();
    List<float[]> ort;
    List<float[]> cpu;
    try (OrtEngine e = new OrtEngine(1); Session s = e.open(LENET5)) {
      ort = capture(s, data, 32, values, ortBatches);
    }
    try (CpuEngine e = NativeEngines.create(1); Session s = e.open(LENET5)) {
      cpu = capture(s, data, 32, values, new ArrayList<>());
    }
    assertThat(ortBatches).containsExactly(32, 32, 6);
    for (int i = 0; i < values.size(); i++) {
      assertThat(ort.get(i)).as(values.get(i)).hasSameSizeAs(cpu.get(i)).isNotEmpty();
      for (int k = 0; k < cpu.get(i).length; k++) {
        float scale = Math.max(1, Math.abs(cpu.get(i)[k]));
        assertThat(ort.get(i)[k]).as(values.get(i) + "[" + k + "]").isCloseTo(cpu.get(i)[k], offset(1e-5f * scale));
      }
    }
  }

  @Test
  void runReturnsOutputsIntermediatesAndInputsAsTheEngineDoes() {
    float[] x = new float[2 * 28 * 28];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    String input = LENET5.graph().inputs().get(0).name();
    Map<String, Tensor> in = Map.of(input, Tensor.of(x, 2, 1, 28, 28));
    List<String> values = floatValues(LENET5);
    Map<String, Tensor> ort;
    Map<String, Tensor> cpu;
    Map<String, Tensor> outputs;
    try (OrtEngine e = new OrtEngine(2); Session s = e.open(LENET5)) {
      ort = s.run(in, values);
      outputs = s.run(in);
    }
    try (CpuEngine e = NativeEngines.create(1); Session s = e.open(LENET5)) {
      cpu = s.run(in, values);
    }
    assertThat(outputs).containsOnlyKeys(LENET5.graph().outputs().get(0).name());
    for (String v : values) {
      assertThat(ort.get(v).shape()).as(v).isEqualTo(cpu.get(v).shape());
      float[] a = ort.get(v).floats();
      float[] b = cpu.get(v).floats();
      for (int k = 0; k < b.length; k++) {
        assertThat(a[k]).as(v).isCloseTo(b[k], offset(1e-5f * Math.max(1, Math.abs(b[k]))));
      }
    }
    assertThat(ort.get(input)).isEqualTo(in.get(input));
  }

  @Test
  void newWeightsGiveTheEnginesEvaluationOfThePrunedModel() {
    Dataset data = images(300, 1, 28, 10, 12);
    String layer = dev.condense.ops.PrunableWeight.of(LENET5.graph()).get(2).layer();
    Model pruned = MagnitudePruner.prune(LENET5, new PruningCriterion.Sparsity(PerLayer.only(Map.of(layer, 0.9))), null)
        .apply(LENET5);
    Evaluation before;
    Evaluation after;
    Model exported;
    try (OrtEngine e = new OrtEngine(1); Session s = e.open(LENET5)) {
      before = s.evaluate(data, 128, Progress.NONE);
      s.setWeights(pruned);
      after = s.evaluate(data, 128, Progress.NONE);
      exported = s.export();
    }
    Evaluation engine;
    try (CpuEngine e = NativeEngines.create(1); Session s = e.open(pruned)) {
      engine = s.evaluate(data, 128, Progress.NONE);
    }
    assertThat(exported).isSameAs(pruned);
    assertThat(after.samples()).isEqualTo(300);
    assertThat(after.loss()).isNotCloseTo(before.loss(), offset(1e-4));
    assertThat(after.loss()).isCloseTo(engine.loss(), offset(1e-5));
    assertThat(Math.abs(after.top1() - engine.top1()) * 300).isLessThanOrEqualTo(1.0);
    assertThat(after.agreement(engine)).isGreaterThanOrEqualTo(299 / 300.0);
  }

  @Test
  void aFixedBatchModelRunsAtItsDeclaredBatch() throws Exception {
    Model m = OnnxReader.read(Path.of("../condense-engine/src/test/resources/shape/view_fixed_opset13.onnx"));
    Dataset data = images(40, 3, 8, 5, 13);
    List<Integer> batches = new ArrayList<>();
    try (OrtEngine e = new OrtEngine(1); Session s = e.open(m)) {
      capture(s, data, 16, List.of(m.graph().outputs().get(0).name()), batches);
    }
    assertThat(batches).hasSize(40).containsOnly(1);
  }

  @Test
  void trainingAndTrainedTablesAreRefusedInOneLine() {
    try (OrtEngine e = new OrtEngine(1); Session s = e.open(LENET5)) {
      Dataset data = images(10, 1, 28, 10, 14);
      assertThatThrownBy(() -> s.train(data, TrainConfig.defaults(), Constraints.NONE, null, Progress.NONE))
          .isInstanceOf(CondenseException.class)
          .hasMessage("ONNX Runtime runs forward-only work; training runs on the engine");
      assertThatThrownBy(() -> s.sharedTable("conv1.weight")).isInstanceOf(CondenseException.class)
          .hasMessage("ONNX Runtime runs forward-only work; training runs on the engine");
    }
  }

  @Test
  void aChangedGraphUnknownValuesAndOtherBytesAreRefusedNamingWhat() {
    Model other = Zoo.create("lenet-300-100", 3);
    try (OrtEngine e = new OrtEngine(1); Session s = e.open(LENET5)) {
      assertThatThrownBy(() -> s.setWeights(other)).isInstanceOf(CondenseException.class)
          .hasMessageContaining("is missing or has another shape; open a new session");
      Dataset data = images(4, 1, 28, 10, 15);
      assertThatThrownBy(() -> s.capture(data, 4, List.of("nowhere"), (n, a, sh, l) -> { }, Progress.NONE))
          .isInstanceOf(CondenseException.class).hasMessage("no value named 'nowhere' in the graph ONNX Runtime runs");
    }
    try (OrtEngine e = new OrtEngine(1);
        Session s = e.open(dev.condense.onnx.OnnxWriter.toBytes(LENET5), LENET5)) {
      assertThatThrownBy(() -> s.setWeights(LENET5)).isInstanceOf(CondenseException.class)
          .hasMessageContaining("runs ONNX bytes written elsewhere");
    }
  }

  @Test
  void aClosedSessionOrEngineRefusesUse() {
    Dataset data = images(4, 1, 28, 10, 16);
    OrtEngine e = new OrtEngine(1);
    Session s = e.open(LENET5);
    s.evaluate(data, 4, Progress.NONE);
    s.close();
    s.close();
    assertThatThrownBy(() -> s.evaluate(data, 4, Progress.NONE)).isInstanceOf(IllegalStateException.class)
        .hasMessage("the session is closed");
    Session t = e.open(LENET5);
    e.close();
    e.close();
    assertThatThrownBy(t::export).isInstanceOf(IllegalStateException.class).hasMessage("the session's engine is closed");
    assertThatThrownBy(() -> e.open(LENET5)).isInstanceOf(IllegalStateException.class).hasMessage("the engine is closed");
    t.close();
  }
}
