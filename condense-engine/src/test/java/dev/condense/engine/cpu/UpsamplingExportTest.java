package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
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
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Small PyTorch 1.13 decoders (committed with their script, {@code exports/upsampling/export.py}):
 * ConvTranspose2d with stride 2, padding, output_padding and groups, nn.Upsample nearest and
 * bilinear (align_corners False and True), F.interpolate(size=...), exported at opsets 9 (as
 * Upsample, without the bilinear branches), 11, 13 and 17. The engine's logits match ONNX
 * Runtime's, and one training step's loss, sum(logits · dy), and the gradient of every parameter
 * match PyTorch's on the same batch.
 */
class UpsamplingExportTest {
  static Path dir() throws Exception {
    return Path.of(UpsamplingExportTest.class.getResource("/exports/upsampling/export.py").toURI()).getParent();
  }

  private static String model(String file) {
    return file.substring(0, file.indexOf("-opset"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"decoder-opset11", "decoder-opset13", "decoder-opset17", "decoder9-opset9",
      "decoder9-opset11", "decoder9-opset13", "decoder9-opset17"})
  void logitsMatchOnnxRuntime(String file) throws Exception {
    Model m = OnnxReader.read(dir().resolve(file + ".onnx"));
    Tensor x = OnnxReader.readTensor(dir().resolve(model(file) + ".x.pb"));
    // ONNX Runtime refuses Upsample-9 below scale 1 (the 6 -> 4 nearest step PyTorch exports as
    // Upsample), so at opset 9 it runs the Resize-13 form Condense rewrites the file into.
    Model reference = m.opset() < 10 ? OnnxReader.load(dir().resolve(file + ".onnx")) : m;
    float[] expected = OrtReference.run(reference, x.floats(), x.shape());
    float[] actual;
    try (CpuEngine engine = new CpuEngine(2); Session s = engine.open(m)) {
      actual = s.run(Map.of("x", x)).get("logits").floats();
    }
    assertThat(actual).hasSameSizeAs(expected);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertThat(worst).as("largest difference from ONNX Runtime").isLessThan(1e-4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"decoder-opset11", "decoder-opset13", "decoder-opset17", "decoder9-opset9",
      "decoder9-opset11", "decoder9-opset13", "decoder9-opset17"})
  void oneTrainingStepMatchesPyTorch(String file) throws Exception {
    String name = model(file);
    Model m = OnnxReader.load(dir().resolve(file + ".onnx"));
    Tensor x = OnnxReader.readTensor(dir().resolve(name + ".x.pb"));
    Tensor dy = OnnxReader.readTensor(dir().resolve(name + ".dy.pb"));
    float expectedLoss = OnnxReader.readTensor(dir().resolve(name + ".loss.pb")).floats()[0];
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : m.graph().initializers().entrySet()) {
      String k = e.getKey();
      Tensor v = e.getValue();
      if (v.dtype() == DType.FLOAT && Files.exists(gradFile(name, k))) {
        weights.put(k, v.floatsCopy());
      }
    }
    assertThat(weights.keySet()).contains("up.weight", "up.bias", "conv1.weight", "conv2.weight", "fc.weight");
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(m.graph(), Map.of("x", new ValueType(DType.FLOAT, x.shape())), Map.of(), weights, grads,
        Set.of(), true, "logits", false);
    double loss = 0;
    try (Parallel par = new Parallel(2)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      System.arraycopy(x.floats(), 0, plan.buf("x").data, 0, x.size());
      plan.forward(ctx);
      float[] logits = plan.buf("logits").data;
      for (int i = 0; i < logits.length; i++) {
        loss += logits[i] * dy.floats()[i];
      }
      System.arraycopy(dy.floats(), 0, plan.buf("logits").grad, 0, dy.size());
      plan.backward(ctx);
    }
    assertThat(loss).as("loss").isCloseTo(expectedLoss, Offset.offset(1e-4 + 1e-5 * Math.abs(expectedLoss)));
    for (String w : weights.keySet()) {
      float[] expected = OnnxReader.readTensor(gradFile(name, w)).floats();
      float[] actual = grads.get(w);
      assertThat(actual).as(w).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i]).as("%s: d/d%s[%d]", file, w, i)
            .isCloseTo(expected[i], Offset.offset(1e-5f + 1e-4f * Math.abs(expected[i])));
      }
    }
  }

  /** PyTorch's gradient of an initializer of model {@code name}, as the script names it. */
  private static Path gradFile(String name, String initializer) throws Exception {
    return dir().resolve(name + ".grad." + initializer.replace(':', '_') + ".pb");
  }
}
