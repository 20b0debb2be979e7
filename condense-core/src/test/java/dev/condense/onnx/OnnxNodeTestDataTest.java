package dev.condense.onnx;

import static dev.condense.onnx.ModelAssert.assertSameModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.condense.CondenseException;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.NodeProto;
import dev.condense.ops.Op;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own node tests (Debian package libonnx-testdata), restricted to the ops Condense
 * supports: files written by ONNX's Python helpers, with typed and raw tensor data, many shapes
 * and every attribute form those ops use. Skipped where the package is not installed.
 */
class OnnxNodeTestDataTest {

  private static boolean opsetSupported(Model m) {
    return m.graph().nodes().stream().allMatch(n -> {
      Op op = OpTable.standard().find(n.opType());
      return op == null || m.opset() >= op.since();
    });
  }

  private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

  /** The node-test models whose ops are all supported, by their directory. */
  private static List<Path> supportedOpModels() throws IOException {
    assumeTrue(Files.isDirectory(NODE_TESTS), NODE_TESTS + " not installed (Debian libonnx-testdata)");
    List<Path> models = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(NODE_TESTS)) {
      for (Path d : dirs.sorted().toList()) {
        Path model = d.resolve("model.onnx");
        if (Files.isRegularFile(model) && onlySupportedOps(model)) {
          models.add(d);
        }
      }
    }
    return models;
  }

  private static boolean onlySupportedOps(Path model) throws IOException {
    ModelProto p = ModelProto.parseFrom(Files.readAllBytes(model));
    return p.getGraph().getNodeList().stream().map(NodeProto::getOpType)
        .allMatch(op -> OpTable.standard().find(op) != null);
  }

  @Test
  void modelsWithSupportedOpsRoundTripExactly() throws IOException {
    int roundTripped = 0;
    for (Path d : supportedOpModels()) {
      Path file = d.resolve("model.onnx");
      Model m;
      try {
        m = OnnxReader.read(file);
      } catch (CondenseException e) {
        // e.g. Dropout's bool mask output, sequence or optional values: refused, and said so.
        assertThat(e.getMessage()).as(file.toString()).startsWith(file + ": ").containsAnyOf("not supported", "unsupported");
        continue;
      }
      Model back = OnnxReader.read(OnnxWriter.toBytes(m), file + " (rewritten)");
      assertSameModel(back, m);
      roundTripped++;
    }
    assertThat(roundTripped).isGreaterThanOrEqualTo(130);
  }

  @Test
  void testDataMatchesDeclaredAndInferredShapes() throws IOException {
    int checked = 0;
    for (Path d : supportedOpModels()) {
      Path file = d.resolve("model.onnx");
      Model m;
      try {
        m = OnnxReader.read(file);
      } catch (CondenseException e) {
        continue;
      }
      Graph g = m.graph();
      if (java.util.stream.Stream.concat(g.inputs().stream(), g.outputs().stream())
          .anyMatch(v -> v.dtype().isFloat() && v.dtype() != dev.condense.graph.DType.FLOAT)) {
        continue; // a float16/bfloat16/double interface: refused at load (TensorTypesTest)
      }
      Path data = d.resolve("test_data_set_0");
      Map<String, ValueType> fed = new HashMap<>();
      for (int i = 0; i < g.inputs().size(); i++) {
        Tensor t = OnnxReader.readTensor(data.resolve("input_" + i + ".pb"));
        assertDeclared(g.inputs().get(i), t, file);
        fed.put(g.inputs().get(i).name(), new ValueType(t.dtype(), t.shape()));
      }
      List<Tensor> expected = new ArrayList<>();
      for (int i = 0; i < g.outputs().size(); i++) {
        expected.add(OnnxReader.readTensor(data.resolve("output_" + i + ".pb")));
        assertDeclared(g.outputs().get(i), expected.get(i), file);
      }
      if (!opsetSupported(m) || hasFedReshapeShape(g)) {
        continue;
      }
      try {
        g = ModelChecker.normalizeAndCheck(m, file.toString()).graph(); // the graph as Condense reads it
      } catch (CondenseException e) {
        // An optional output Condense refuses (MaxPool's Indices), or a Cast/Gather on values
        // known only at run time (Pad pads, Slice starts), or an empty tensor (an expanded
        // LayerNormalization's empty prefix shape): refused, not mis-inferred.
        assertThat(e.getMessage()).as(file.toString()).containsAnyOf("is not supported", "on constant inputs only",
            "must be a constant", "Condense runs no empty tensors");
        continue;
      }
      ShapeInference.Result r = ShapeInference.infer(g, fed);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(r.type(g.outputs().get(i).name())).as(file.toString())
            .isEqualTo(new ValueType(expected.get(i).dtype(), expected.get(i).shape()));
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(80);
  }

  /** Condense infers shapes before running, so a Reshape target must be constant, not fed. */
  private static boolean hasFedReshapeShape(Graph g) {
    return g.nodes().stream().anyMatch(n -> n.opType().equals("Reshape") && g.input(n.input(1)) != null);
  }

  private static void assertDeclared(ValueInfo declared, Tensor t, Path file) {
    assertThat(t.dtype()).as("%s: %s", file, declared).isEqualTo(declared.dtype());
    if (declared.dims() != null) {
      assertThat(t.rank()).as("%s: %s", file, declared).isEqualTo(declared.dims().size());
      for (int k = 0; k < t.rank(); k++) {
        ValueInfo.Dim dim = declared.dims().get(k);
        if (dim.isFixed()) {
          assertThat((long) t.dim(k)).as("%s: %s", file, declared).isEqualTo(dim.value());
        }
      }
    }
  }
}
