package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.OnnxReader;
import dev.condense.zoo.OrtReference;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import dev.condense.engine.SoftmaxCrossEntropy;
import dev.condense.graph.ValueType;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import dev.condense.ops.OpTable;
import dev.condense.ops.RunTimeIndices;
import dev.condense.ops.TrainableTensors;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Transformers exported by PyTorch 1.13 (committed with their script, {@code exports/attention/export.py}):
 * a small ViT with both LayerNorm placements, torchvision's VisionTransformer and an
 * nn.TransformerEncoder text classifier on int64 tokens, at opsets 11, 13 and 17 with a dynamic
 * batch and at opset 13 exported at batch 1. The engine's logits match ONNX Runtime's at batch 1
 * and 3, and one training step on PyTorch's batch gives PyTorch's loss and gradients, for exactly
 * the tensors PyTorch trains (class token, position embeddings and the embedding table
 * included; masks and shape constants not).
 */
class AttentionExportsTest {
  static Path dir() throws Exception {
    return Path.of(AttentionExportsTest.class.getResource("/exports/attention/export.py").toURI()).getParent();
  }

  /** A batch of {@code batch} samples for the model's input: images in [-1, 1) or token ids below 50. */
  static Tensor sample(Model m, int batch, long seed) {
    ValueInfo in = m.graph().inputs().get(0);
    int[] shape = in.shapeOr(1);
    shape[0] = batch;
    SplittableRandom r = new SplittableRandom(seed);
    int size = (int) Tensor.numel(shape);
    if (in.dtype() == DType.INT64) {
      long[] v = new long[size];
      for (int i = 0; i < size; i++) {
        v[i] = r.nextInt(50);
      }
      return Tensor.ofLongs(v, shape);
    }
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return Tensor.of(x, shape);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vit-opset11", "vit-opset13", "vit-opset17", "tvvit-opset11", "tvvit-opset13",
      "tvvit-opset17", "text-opset11", "text-opset13", "text-opset17", "vit-b1-opset13", "tvvit-b1-opset13", "text-b1-opset13"})
  void logitsMatchOnnxRuntimeAtBatchOneAndThree(String name) throws Exception {
    logitsMatchOnnxRuntime(dir(), name);
  }

  /** The engine's logits of {@code dir/name.onnx} at batch 1 and 3 against ONNX Runtime's. */
  static void logitsMatchOnnxRuntime(Path dir, String name) throws Exception {
    Model m = OnnxReader.read(dir.resolve(name + ".onnx"));
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(m)) {
      for (int batch : new int[] {1, 3}) {
        Tensor x = sample(m, batch, name.hashCode() + batch);
        float[] actual = s.run(Map.of(m.graph().inputs().get(0).name(), x)).get(m.graph().outputs().get(0).name()).floats();
        assertThat(actual).as("batch %d", batch).hasSize(batch * m.graph().outputs().get(0).shapeOr(-1)[1]);
        if (name.contains("-b1-") && batch != 1) {
          // ONNX Runtime runs the batch-1 model at the batch it declares: compare sample by sample
          int k = actual.length / batch;
          for (int b = 0; b < batch; b++) {
            Tensor one = slice(x, b);
            assertClose(java.util.Arrays.copyOfRange(actual, b * k, b * k + k), OrtReference.run(m, one), name + " sample " + b);
          }
        } else {
          assertClose(actual, OrtReference.run(m, x), name + " batch " + batch);
        }
      }
    }
  }

  static Tensor slice(Tensor x, int b) {
    int[] shape = x.shape();
    int per = x.size() / shape[0];
    shape[0] = 1;
    if (x.dtype() == DType.INT64) {
      return Tensor.ofLongs(java.util.Arrays.copyOfRange(x.toLongs(), b * per, b * per + per), shape);
    }
    return Tensor.of(java.util.Arrays.copyOfRange(x.floats(), b * per, b * per + per), shape);
  }

  static void assertClose(float[] actual, float[] expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertThat(worst).as("%s: largest difference from ONNX Runtime", what).isLessThan(1e-4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vit", "tvvit", "text"})
  void oneTrainingStepMatchesPyTorch(String name) throws Exception {
    trainingStepMatchesPyTorch(dir(), name, name + "-opset17.onnx");
  }

  /**
   * One training step of {@code dir/file} on PyTorch's batch ({@code dir/name.x.pb}, {@code .y.pb})
   * gives PyTorch's logits, loss and the gradients {@code dir/name.grad.*.pb}, for exactly those tensors.
   */
  static void trainingStepMatchesPyTorch(Path dir, String name, String file) throws Exception {
    Model m = OnnxReader.load(dir.resolve(file)); // normalised, as Condense.load reads a model
    Tensor x = OnnxReader.readTensor(dir.resolve(name + ".x.pb"));
    int[] labels = java.util.Arrays.stream(OnnxReader.readTensor(dir.resolve(name + ".y.pb")).toLongs())
        .mapToInt(Math::toIntExact).toArray();
    Map<String, float[]> weights = new LinkedHashMap<>();
    m.graph().initializers().forEach((k, v) -> {
      if (v.dtype() == DType.FLOAT) {
        weights.put(k, v.floatsCopy());
      }
    });
    Set<String> frozen = TrainableTensors.of(m.graph(), OpTable.standard()).frozen();
    Map<String, float[]> grads = new HashMap<>();
    String input = m.graph().inputs().get(0).name();
    Map<String, ValueType> types = Map.of(input, new ValueType(x.dtype(), x.shape()));
    assertThat(RunTimeIndices.inputs(OpTable.standard(), m.graph(), types)).as("run-time token ids")
        .isEqualTo(x.dtype() == DType.FLOAT ? Set.of() : Set.of(input));
    Plan plan = new Plan(m.graph(), types, Map.of(), weights, grads, frozen, true, "logits", false);
    double loss;
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      System.arraycopy(x.toFloats(), 0, plan.buf(input).data, 0, x.size());
      plan.forward(ctx);
      Buf logits = plan.buf("logits");
      assertClose(logits.data, OnnxReader.readTensor(dir.resolve(name + ".logits.pb")).floats(), name + " logits");
      loss = SoftmaxCrossEntropy.apply(logits.data, labels.length, logits.dim(1), labels, null, 0, logits.grad)
          .lossSum() / labels.length;
      plan.backward(ctx);
    }
    assertThat(loss).as("loss").isCloseTo(OnnxReader.readTensor(dir.resolve(name + ".loss.pb")).floats()[0],
        Offset.offset(1e-5));
    String prefix = name + ".grad.";
    Map<String, Path> expected;
    try (Stream<Path> files = Files.list(dir)) {
      expected = files.filter(f -> f.getFileName().toString().startsWith(prefix))
          .collect(Collectors.toMap(f -> f.getFileName().toString().replaceAll("^" + prefix + "|\\.pb$", ""), f -> f));
    }
    Set<String> trained = plan.trainable().stream().map(w -> w.replace(':', '_').replace('/', '_'))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(trained).as("what trains: PyTorch's parameters").isEqualTo(new TreeSet<>(expected.keySet()));
    for (String w : plan.trainable()) {
      float[] want = OnnxReader.readTensor(expected.get(w.replace(':', '_').replace('/', '_'))).floats();
      float[] got = grads.get(w);
      assertThat(got).as(w).hasSameSizeAs(want);
      double scale = 0;
      for (float v : want) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < want.length; i++) {
        assertThat(got[i]).as("d loss / d %s[%d]", w, i).isCloseTo(want[i],
            Offset.offset((float) (1e-4 * Math.abs(want[i]) + 1e-5 * scale + 1e-7)));
      }
    }
  }
}
