package dev.condense.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import dev.condense.CondenseException;
import dev.condense.graph.Tensor;
import dev.condense.onnx.proto.OnnxProto.AttributeProto;
import dev.condense.onnx.proto.OnnxProto.AttributeProto.AttributeType;
import dev.condense.onnx.proto.OnnxProto.GraphProto;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.NodeProto;
import dev.condense.onnx.proto.OnnxProto.SparseTensorProto;
import dev.condense.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import dev.condense.onnx.proto.OnnxProto.TypeProto;
import dev.condense.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a file can fail to be a usable ONNX model gives one line naming the file. */
class OnnxReaderErrorsTest {

  @TempDir
  Path dir;

  private Path file(byte[] bytes) throws IOException {
    return Files.write(dir.resolve("model.onnx"), bytes);
  }

  /** Reads {@code bytes} from a file and returns the error, checking it is one line naming the file. */
  private String refusal(byte[] bytes) throws IOException {
    Path f = file(bytes);
    Throwable t = catchThrowable(() -> OnnxReader.read(f));
    assertThat(t).isInstanceOf(CondenseException.class);
    assertThat(t.getMessage()).startsWith(f + ": ").doesNotContain("\n");
    return t.getMessage().substring(f.toString().length() + 2);
  }

  private String refusal(ModelProto.Builder model) throws IOException {
    return refusal(model.build().toByteArray());
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("model.onnx");
    assertThatThrownBy(() -> OnnxReader.read(f)).isInstanceOf(CondenseException.class)
        .hasMessage(f + ": no such file");
  }

  @Test
  void directory() {
    assertThatThrownBy(() -> OnnxReader.read(dir)).isInstanceOf(CondenseException.class)
        .hasMessage(dir + ": is a directory, not a file");
  }

  @Test
  void emptyFile() throws IOException {
    assertThat(refusal(new byte[0])).isEqualTo("not an ONNX model (empty file)");
  }

  @Test
  void textFile() throws IOException {
    byte[] text = "ir_version: 8\ngraph { node { op_type: \"Relu\" } }\n".getBytes(StandardCharsets.UTF_8);
    assertThat(refusal(text)).isEqualTo("not an ONNX model (it is a text file)");
  }

  @Test
  void randomBytes() throws IOException {
    for (int seed = 0; seed < 50; seed++) {
      byte[] garbage = new byte[1 + new Random(seed).nextInt(4096)];
      new Random(seed).nextBytes(garbage);
      assertThat(refusal(garbage)).as("seed %d", seed).startsWith("not an ONNX model (");
    }
  }

  @Test
  void truncatedModel() throws IOException {
    byte[] full = Files.readAllBytes(Fixtures.path("tiny_cnn.onnx"));
    for (int cut : new int[] {full.length / 4, full.length / 2, full.length - 1}) {
      assertThat(refusal(Arrays.copyOf(full, cut))).as("cut at %d", cut)
          .startsWith("truncated or corrupt ONNX file (");
    }
  }

  @Test
  void everyPrefixOfAModelReadsOrFailsCleanly() throws IOException {
    byte[] full = Files.readAllBytes(Fixtures.path("tiny_cnn.onnx"));
    for (int cut = 0; cut < full.length; cut++) {
      byte[] prefix = Arrays.copyOf(full, cut);
      Throwable t = catchThrowable(() -> OnnxReader.read(prefix, "model.onnx"));
      if (t != null) {
        assertThat(t).as("cut at %d", cut).isInstanceOf(CondenseException.class);
        assertThat(t.getMessage()).startsWith("model.onnx: ").doesNotContain("\n");
      }
    }
  }

  @Test
  void corruptedBytesReadOrFailCleanly() throws IOException {
    byte[] full = Files.readAllBytes(Fixtures.path("tiny_cnn.onnx"));
    Random random = new Random(42);
    int refused = 0;
    for (int trial = 0; trial < 2000; trial++) {
      byte[] bad = full.clone();
      for (int k = 1 + random.nextInt(4); k > 0; k--) {
        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
      }
      Throwable t = catchThrowable(() -> OnnxReader.load(file(bad)));
      if (t != null) {
        assertThat(t).as("trial %d", trial).isInstanceOf(CondenseException.class);
        assertThat(t.getMessage()).startsWith(dir.resolve("model.onnx") + ": ").doesNotContain("\n");
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(100);
  }

  @Test
  void protobufThatIsNotAModel() throws IOException {
    byte[] tensor = Files.readAllBytes(Fixtures.path("tiny_cnn_input.pb"));
    assertThat(refusal(tensor)).startsWith("not an ONNX model (");
  }

  @Test
  void modelWithoutGraph() throws IOException {
    assertThat(refusal(Protos.model(Protos.reluGraph()).clearGraph())).endsWith("(no graph)");
  }

  @Test
  void modelWithoutIrVersion() throws IOException {
    assertThat(refusal(Protos.model(Protos.reluGraph()).clearIrVersion()))
        .isEqualTo("not an ONNX model (no IR version)");
  }

  @Test
  void modelWithoutOpset() throws IOException {
    assertThat(refusal(Protos.model(Protos.reluGraph()).clearOpsetImport())).endsWith("(no opset import)");
  }

  @Test
  void nodeWithoutOpType() throws IOException {
    GraphProto.Builder g = Protos.reluGraph();
    g.getNodeBuilder(0).clearOpType();
    assertThat(refusal(Protos.model(g))).endsWith("(node 0 has no op type)");
  }

  @Test
  void namesWithControlCharactersAreCorruption() throws IOException {
    GraphProto.Builder g = Protos.reluGraph();
    g.getNodeBuilder(0).setOutput(0, "y\nz");
    assertThat(refusal(Protos.model(g))).isEqualTo(
        "truncated or corrupt ONNX file (the name 'y\\u000az' contains control characters)");
  }

  @Test
  void graphAttribute() throws IOException {
    GraphProto.Builder g = Protos.reluGraph();
    g.getNodeBuilder(0).setOpType("If").addAttribute(AttributeProto.newBuilder()
        .setName("then_branch").setType(AttributeType.GRAPH).setG(GraphProto.newBuilder()));
    assertThat(refusal(Protos.model(g))).isEqualTo(
        "node 'relu' (If -> y), attribute 'then_branch': graph attributes (control flow) are not supported");
  }

  @Test
  void attributeWithoutType() throws IOException {
    GraphProto.Builder g = Protos.reluGraph();
    g.getNodeBuilder(0).addAttribute(AttributeProto.newBuilder().setName("alpha").setF(0.1f));
    assertThat(refusal(Protos.model(g))).isEqualTo("node 'relu' (Relu -> y), attribute 'alpha': attribute has no type");
  }

  @Test
  void sparseInitializer() throws IOException {
    GraphProto.Builder g = Protos.reluGraph().addSparseInitializer(SparseTensorProto.newBuilder()
        .setValues(Protos.tensor("sparse.w", 1, 1).addFloatData(1f)).addDims(4));
    assertThat(refusal(Protos.model(g))).isEqualTo("sparse initializer 'sparse.w' is not supported");
  }

  @Test
  void externalData() throws IOException {
    GraphProto.Builder g = Protos.reluGraph().addInitializer(Protos.tensor("fc.weight", 1, 2)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")));
    assertThat(refusal(Protos.model(g))).isEqualTo("initializer 'fc.weight': external data file "
        + dir.resolve("w.bin") + " does not exist");
  }

  @Test
  void trainingInfoAndFunctions() throws IOException {
    assertThat(refusal(Protos.model(Protos.reluGraph()).addTrainingInfo(ByteString.copyFromUtf8("x"))))
        .isEqualTo("training information (training_info) is not supported");
    assertThat(refusal(Protos.model(Protos.reluGraph()).addFunctions(ByteString.copyFromUtf8("f"))))
        .isEqualTo("model-local functions are not supported");
  }

  @Test
  void nonTensorValue() throws IOException {
    GraphProto.Builder g = Protos.reluGraph().addInput(ValueInfoProto.newBuilder().setName("seq")
        .setType(TypeProto.newBuilder().setSequenceType(ByteString.EMPTY)));
    assertThat(refusal(Protos.model(g))).startsWith("graph input 'seq': sequence values are not supported");
  }

  @ParameterizedTest
  @CsvSource({"4, UINT16", "8, STRING", "12, UINT32", "14, COMPLEX64"}) // bool is read (masks), float16/double into float32
  void unsupportedElementTypeOfAnInitializer(int code, String name) throws IOException {
    GraphProto.Builder g = Protos.reluGraph().addInitializer(Protos.tensor("w", code, 1)
        .setRawData(Protos.bytes(0, 0)));
    assertThat(refusal(Protos.model(g))).startsWith("initializer 'w': unsupported tensor element type " + name);
  }

  @Test
  void unsupportedElementTypeOfAnAttributeTensor() throws IOException {
    GraphProto.Builder g = Protos.reluGraph();
    g.getNodeBuilder(0).setOpType("Constant").clearInput().addAttribute(AttributeProto.newBuilder()
        .setName("value").setType(AttributeType.TENSOR).setT(Protos.tensor("", 4, 1).addInt32Data(0)));
    assertThat(refusal(Protos.model(g)))
        .startsWith("node 'relu' (Constant -> y), attribute 'value': unsupported tensor element type UINT16");
  }

  @Test
  void unsupportedElementTypeOfAGraphOutput() throws IOException {
    GraphProto.Builder g = Protos.reluGraph();
    g.getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().setElemType(13);
    assertThat(refusal(Protos.model(g))).startsWith("graph output 'y': unsupported tensor element type UINT64");
  }

  @Test
  void opOutsideTheDefaultDomain() throws IOException {
    GraphProto.Builder g = Protos.reluGraph();
    g.getNodeBuilder(0).setOpType("FusedConv").setDomain("com.microsoft");
    assertThat(refusal(Protos.model(g))).startsWith(
        "unsupported op 'FusedConv' from domain 'com.microsoft' at node 'relu' (FusedConv -> y)");
  }

  @Test
  void rawDataOfTheWrongLength() throws IOException {
    GraphProto.Builder g = Protos.reluGraph().addInitializer(Protos.tensor("w", 1, 2).setRawData(Protos.bytes(1, 2, 3)));
    assertThat(refusal(Protos.model(g))).isEqualTo("initializer 'w': raw_data has 3 bytes, but a float[2] tensor needs 8");
  }

  @Test
  void typedDataOfTheWrongLength() throws IOException {
    GraphProto.Builder g = Protos.reluGraph().addInitializer(Protos.tensor("w", 7, 3).addInt64Data(1));
    assertThat(refusal(Protos.model(g))).isEqualTo("initializer 'w': int64_data holds 1 values, but shape [3] needs 3");
  }

  @Test
  void negativeDimension() throws IOException {
    GraphProto.Builder g = Protos.reluGraph().addInitializer(Protos.tensor("w", 1, 2, -1));
    assertThat(refusal(Protos.model(g))).isEqualTo("initializer 'w': invalid dimension -1 in shape [2, -1]");
  }

  @Test
  void duplicateInitializer() throws IOException {
    GraphProto.Builder g = Protos.reluGraph()
        .addInitializer(Protos.tensor("w", 1, 1).addFloatData(1f))
        .addInitializer(Protos.tensor("w", 1, 1).addFloatData(2f));
    assertThat(refusal(Protos.model(g))).isEqualTo("initializer 'w' appears twice");
  }

  @Test
  void cycle() throws IOException {
    GraphProto.Builder g = Protos.reluGraph()
        .addNode(NodeProto.newBuilder().setName("a").setOpType("Relu").addInput("b_out").addOutput("a_out"))
        .addNode(NodeProto.newBuilder().setName("b").setOpType("Relu").addInput("a_out").addOutput("b_out"));
    assertThat(refusal(Protos.model(g))).startsWith("the graph has a cycle through node 'a'");
  }

  @Test
  void tensorFileErrors() throws IOException {
    Path missing = dir.resolve("input_0.pb");
    assertThatThrownBy(() -> OnnxReader.readTensor(missing)).hasMessage(missing + ": no such file");
    Path empty = Files.write(dir.resolve("empty.pb"), new byte[0]);
    assertThatThrownBy(() -> OnnxReader.readTensor(empty)).isInstanceOf(CondenseException.class)
        .hasMessage(empty + ": not an ONNX tensor (empty file)");
    Path model = Files.copy(Fixtures.path("tiny_cnn.onnx"), dir.resolve("model_as_tensor.pb"));
    assertThatThrownBy(() -> OnnxReader.readTensor(model)).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(model + ": ");
    Path u16 = Files.write(dir.resolve("uint16.pb"), Protos.tensor("x", 4, 1).setRawData(ByteString.copyFrom(new byte[2]))
        .build().toByteArray());
    assertThatThrownBy(() -> OnnxReader.readTensor(u16)).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(u16 + ": tensor 'x': unsupported tensor element type UINT16");
    Path dbl = Files.write(dir.resolve("double.pb"), Protos.tensor("x", 11, 1)
        .setRawData(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putDouble(0.1).array())).build().toByteArray());
    assertThat(OnnxReader.readTensor(dbl)).isEqualTo(Tensor.of(new float[] {0.1f}, 1)); // read into float32
    byte[] input = Files.readAllBytes(Fixtures.path("tiny_cnn_input.pb"));
    Path cut = Files.write(dir.resolve("cut.pb"), Arrays.copyOf(input, input.length / 2));
    assertThatThrownBy(() -> OnnxReader.readTensor(cut)).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(cut + ": truncated or corrupt ONNX tensor file");
  }
}
