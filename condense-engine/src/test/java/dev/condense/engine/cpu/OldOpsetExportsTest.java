package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.ModelChecker;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.zoo.OrtReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        float[] x = ShapeExportsTest.random(shape, opset * 10 + batch);
        float[] ours = s.run(Map.of("x", Tensor.of(x, shape))).get("y").floats();
        ShapeExportsTest.assertClose(ours, OrtReference.run(exported, x, shape), "opset " + opset + " as exported");
        ShapeExportsTest.assertClose(ours, OrtReference.run(reloaded, x, shape), "opset " + opset + " as Condense writes it");
      }
    }
  }

  /**
   * Softmax and LogSoftmax before opset 13 over a middle axis coerce the input to 2-D there: read as
   * Flatten → (Log)Softmax → Reshape, they agree with ONNX Runtime's opset-11 kernels on the model
   * as written, and the normalised model agrees in ONNX Runtime too.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Softmax", "LogSoftmax"})
  void softmaxOverAMiddleAxisBeforeOpset13MatchesOnnxRuntime(String op) throws Exception {
    Graph g = new Graph.Builder("g").input(ValueInfo.batched("x", 3, 4)).output(ValueInfo.batched("y", 3, 4))
        .node(new Node("s", op, List.of("x"), List.of("y"), Map.of("axis", new Attribute.IntAttr(1))))
        .build();
    Model raw = new Model(g, 6, Map.of("", 11L), "test", "", "", Map.of());
    Model read = ModelChecker.normalizeAndCheck(raw, "softmax.onnx");
    assertThat(read.graph().nodes()).extracting(Node::opType).containsExactly("Flatten", op, "Shape", "Reshape");
    int[] shape = {2, 3, 4};
    float[] x = ShapeExportsTest.random(shape, 7);
    try (Session s = ENGINE.open(read)) {
      float[] ours = s.run(Map.of("x", Tensor.of(x, shape))).get("y").floats();
      ShapeExportsTest.assertClose(ours, OrtReference.run(raw, x, shape), op + "-11 in ONNX Runtime");
      ShapeExportsTest.assertClose(ours, OrtReference.run(read, x, shape), op + " normalised, in ONNX Runtime");
    }
  }
}
