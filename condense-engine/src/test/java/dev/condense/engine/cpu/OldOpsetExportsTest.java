package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.zoo.OrtReference;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A small CNN (Conv, Relu, BatchNormalization, MaxPool, Flatten, Gemm, Softmax) exported by
 * PyTorch 1.13 at opsets 7, 9 and 11 ({@code exports/opsets/export.py}). Loaded, it is normalised
 * to the opset-13 form (Softmax's axis made explicit); the engine's output matches ONNX Runtime's
 * on the file as exported, and the model Condense writes loads in ONNX Runtime and agrees too.
 */
class OldOpsetExportsTest {
  private static final Path DIR = Path.of("src/test/resources/exports/opsets");
  private static final CpuEngine ENGINE = NativeEngines.create(2);

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 9, 11})
  void loadsNormalisedAndMatchesOnnxRuntime(int opset, @TempDir Path tmp) throws Exception {
    Path file = DIR.resolve("cnn-opset" + opset + ".onnx");
    Model exported = OnnxReader.read(file);
    assertThat(exported.opset()).isEqualTo(opset);
    Model loaded = OnnxReader.load(file);
    assertThat(loaded.opset()).as("declared at the normalised form's opset").isEqualTo(13);
    Node softmax = loaded.graph().nodes().get(loaded.graph().nodes().size() - 1);
    assertThat(softmax.intAttr("axis", 0)).as("opset-13 Softmax along the last axis").isEqualTo(-1);
    Path written = tmp.resolve("written.onnx");
    OnnxWriter.write(loaded, written);
    Model reloaded = OnnxReader.load(written);
    try (Session s = ENGINE.open(loaded)) {
      for (int batch : new int[] {1, 3}) {
        int[] shape = {batch, 3, 8, 8};
        float[] x = random(shape, opset * 10 + batch);
        float[] ours = s.run(Map.of("x", Tensor.of(x, shape))).get("y").floats();
        assertClose(ours, OrtReference.run(exported, x, shape), "opset " + opset + " as exported");
        assertClose(ours, OrtReference.run(reloaded, x, shape), "opset " + opset + " as Condense writes it");
      }
    }
  }

  private static float[] random(int[] shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  private static void assertClose(float[] ours, float[] ort, String what) {
    assertThat(ours).as(what).hasSameSizeAs(ort);
    for (int i = 0; i < ours.length; i++) {
      assertThat(ours[i]).as(what + " element " + i).isCloseTo(ort[i], within(1e-4f + 1e-4f * Math.abs(ort[i])));
    }
  }
}
