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
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Small PyTorch 1.13 exports (committed with their script, {@code exports/reduce/export.py}):
 * LayerNorm over the last dim of [N, T, D], squeeze-and-excitation with {@code x.mean(dim=(2, 3))},
 * split + concat along channels, InstanceNorm2d, at opsets 13 and 17. The engine's outputs match
 * ONNX Runtime's, and one backward pass of the LayerNorm block matches PyTorch's gradients.
 */
class ReduceNormalizeExportTest {
  static Path dir() throws Exception {
    return Path.of(ReduceNormalizeExportTest.class.getResource("/exports/reduce/export.py").toURI()).getParent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"layernorm-opset17", "se-pool-opset13", "se-pool-opset17", "split-cat-opset13",
      "split-cat-opset17", "instancenorm-opset13", "instancenorm-opset17"})
  void engineMatchesOnnxRuntime(String name) throws Exception {
    Model m = OnnxReader.read(dir().resolve(name + ".onnx"));
    ValueInfo in = m.graph().inputs().get(0);
    int[] shape = in.shapeOr(1);
    shape[0] = 3; // another batch than the export's
    SplittableRandom r = new SplittableRandom(name.hashCode());
    float[] x = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    float[] expected = OrtReference.run(m, x, shape);
    float[] actual;
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(m)) {
      actual = s.run(Map.of(in.name(), Tensor.of(x, shape))).get(m.graph().outputs().get(0).name()).floats();
    }
    assertThat(actual).hasSameSizeAs(expected);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertThat(worst).as("largest difference from ONNX Runtime").isLessThan(1e-4);
  }

  @Test
  void layerNormBlockGradientsMatchPyTorch() throws Exception {
    Model m = OnnxReader.read(dir().resolve("layernorm-opset17.onnx"));
    Tensor x = OnnxReader.readTensor(dir().resolve("x.pb"));
    Tensor dy = OnnxReader.readTensor(dir().resolve("dy.pb"));
    Map<String, float[]> weights = new LinkedHashMap<>();
    m.graph().initializers().forEach((k, v) -> {
      if (v.dtype() == DType.FLOAT) {
        weights.put(k, v.floatsCopy());
      }
    });
    Map<String, float[]> grads = new HashMap<>();
    Plan plan = new Plan(m.graph(), Map.of("x", new ValueType(DType.FLOAT, x.shape())), Map.of(), weights, grads,
        Set.of(), true, "y", false);
    try (Parallel par = new Parallel(1)) {
      Ctx ctx = new Ctx(new Blas(new JavaGemm()), par);
      System.arraycopy(x.floats(), 0, plan.buf("x").data, 0, x.size());
      plan.forward(ctx);
      System.arraycopy(dy.floats(), 0, plan.buf("y").grad, 0, dy.size());
      plan.backward(ctx);
    }
    assertThat(weights.keySet()).contains("ln.weight", "ln.bias");
    for (String w : weights.keySet()) {
      float[] expected = OnnxReader.readTensor(dir().resolve("grad." + w.replace(':', '_') + ".pb")).floats();
      float[] actual = grads.get(w);
      assertThat(actual).as(w).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i]).as("d/d%s[%d]", w, i)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f + 1e-4f * Math.abs(expected[i])));
      }
    }
  }
}
