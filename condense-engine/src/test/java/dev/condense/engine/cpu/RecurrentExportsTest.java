package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import dev.condense.onnx.OnnxReader;
import dev.condense.zoo.OrtReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch 1.13 sequence classifiers (committed with their script, {@code exports/recurrent/export.py}):
 * 2-layer nn.LSTM, 2-layer bidirectional nn.LSTM, 2-layer nn.GRU and bidirectional nn.GRU, all
 * batch_first with an nn.Linear on the last step, at opsets 11, 13 and 17. The engine's logits
 * match ONNX Runtime's, and one training step — the cross-entropy of a batch and the gradient of
 * every initializer — matches PyTorch's on the same batch.
 */
class RecurrentExportsTest {
  static Path dir() throws Exception {
    return Path.of(RecurrentExportsTest.class.getResource("/exports/recurrent/export.py").toURI()).getParent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm-opset11", "lstm-opset13", "lstm-opset17", "lstm-bi-opset11", "lstm-bi-opset13",
      "lstm-bi-opset17", "gru-opset11", "gru-opset13", "gru-opset17", "gru-bi-opset11", "gru-bi-opset13",
      "gru-bi-opset17"})
  void engineMatchesOnnxRuntime(String name) throws Exception {
    Model m = OnnxReader.read(dir().resolve(name + ".onnx"));
    ValueInfo in = m.graph().inputs().get(0);
    int[] shape = {5, 7, 5}; // another batch than the export's
    SplittableRandom r = new SplittableRandom(name.hashCode());
    float[] x = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 4 - 2);
    }
    float[] expected = OrtReference.run(m, x, shape);
    float[] actual;
    try (CpuEngine engine = new CpuEngine(2); Session s = engine.open(m)) {
      actual = s.run(Map.of(in.name(), Tensor.of(x, shape))).get("y").floats();
    }
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm-opset11", "lstm-opset13", "lstm-opset17", "lstm-bi-opset11", "lstm-bi-opset13",
      "lstm-bi-opset17", "gru-opset11", "gru-opset13", "gru-opset17", "gru-bi-opset11", "gru-bi-opset13",
      "gru-bi-opset17"})
  void oneTrainingStepMatchesPyTorch(String name) throws Exception {
    String model = name.substring(0, name.lastIndexOf('-'));
    Model m = OnnxReader.read(dir().resolve(name + ".onnx"));
    Model gradients = OnnxReader.read(dir().resolve(model + "-grad" + name.substring(model.length()) + ".onnx"));
    Tensor x = OnnxReader.readTensor(dir().resolve("x.pb"));
    long[] labels = OnnxReader.readTensor(dir().resolve("labels.pb")).toLongs();
    double expectedLoss = Double.parseDouble(Files.readString(dir().resolve("loss-" + model + ".txt")).trim());
    Map<String, float[]> weights = new LinkedHashMap<>();
    m.graph().initializers().forEach((k, v) -> {
      if (v.dtype() == DType.FLOAT) {
        weights.put(k, v.floatsCopy());
      }
    });
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(m.graph(), Map.of("x", new ValueType(DType.FLOAT, x.shape())), Map.of(), weights, grads,
        Set.of(), true, "y", false);
    double loss;
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      System.arraycopy(x.floats(), 0, plan.buf("x").data, 0, x.size());
      plan.forward(ctx);
      Buf y = plan.buf("y");
      loss = crossEntropy(y.data, labels, y.dim(1), y.grad);
      plan.backward(ctx);
    }
    assertThat(loss).as("mean cross-entropy").isCloseTo(expectedLoss, org.assertj.core.data.Offset.offset(1e-5 * expectedLoss));
    long layers = m.graph().nodes().stream().filter(n -> n.opType().equals("LSTM") || n.opType().equals("GRU")).count();
    assertThat(weights).as("W, R, B of every recurrent layer and the classifier's weight and bias").hasSize((int) layers * 3 + 2);
    assertThat(grads.keySet()).as("trained tensors").isEqualTo(weights.keySet());
    for (String w : grads.keySet()) {
      float[] expected = gradients.graph().initializers().get(w).floats();
      float[] actual = grads.get(w);
      double scale = 0;
      for (float v : expected) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertThat(scale).as("largest gradient of %s", w).isGreaterThan(1e-4);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).as("d loss / d %s[%d]", w, i)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4 * scale));
      }
    }
  }

  /** Mean cross-entropy of logits [B, C] against the labels; its gradient by the logits into {@code grad}. */
  private static double crossEntropy(float[] logits, long[] labels, int classes, float[] grad) {
    double total = 0;
    int batch = labels.length;
    for (int b = 0; b < batch; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[b * classes + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[b * classes + c] - max);
      }
      total += Math.log(sum) + max - logits[b * classes + (int) labels[b]];
      for (int c = 0; c < classes; c++) {
        double p = Math.exp(logits[b * classes + c] - max) / sum;
        grad[b * classes + c] = (float) ((p - (c == labels[b] ? 1 : 0)) / batch);
      }
    }
    return total / batch;
  }
}
