package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.zoo.OrtReference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Models that use the activations and element-wise ops of issue 13 §1 — a PyTorch network
 * exported at opsets 13 and 17 (PRelu per channel and single, HardSwish, HardSigmoid, Elu, Selu,
 * Celu, Softplus, Gelu as Erf, Mish written out, Max, Min, Pow, Sqrt, Exp, Log, Reciprocal, Erf,
 * Sign, Floor, Ceil, Round, Neg, LogSoftmax) and an opset-20 graph with Gelu, Mish, Sum and Mean —
 * give ONNX Runtime's outputs within 1e-4. The fixtures are written by
 * {@code src/test/resources/elementwise/export_models.py}.
 */
class ActivationModelsOrtTest {

  @ParameterizedTest
  @CsvSource({"activations-op13.onnx, 2:3:8:8", "activations-op17.onnx, 2:3:8:8", "gelu-mish-op20.onnx, 2:4:5"})
  void engineMatchesOnnxRuntime(String file, String dims) throws Exception {
    Model m = OnnxReader.read(Path.of("src/test/resources/elementwise", file));
    int[] shape = Arrays.stream(dims.split(":")).mapToInt(Integer::parseInt).toArray();
    float[] x = new float[Tensor.checkedNumel(shape)];
    SplittableRandom r = new SplittableRandom(17);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 1.5);
    }
    float[] ort = OrtReference.run(m, x, shape);
    float[] ours;
    try (CpuEngine engine = NativeEngines.create(2); Session s = engine.open(m)) {
      ours = s.run(Map.of(m.graph().inputs().get(0).name(), Tensor.of(x, shape)))
          .get(m.graph().outputs().get(0).name()).floats();
    }
    assertThat(ours).hasSameSizeAs(ort);
    for (int i = 0; i < ort.length; i++) {
      assertThat((double) ours[i]).as("%s output %d", file, i).isCloseTo(ort[i], within(1e-4));
    }
  }
}
