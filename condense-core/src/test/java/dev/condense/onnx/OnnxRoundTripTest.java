package dev.condense.onnx;

import static dev.condense.onnx.ModelAssert.assertSameBits;
import static dev.condense.onnx.ModelAssert.assertSameModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueInfo.Dim;
import dev.condense.onnx.proto.OnnxProto.AttributeProto;
import dev.condense.onnx.proto.OnnxProto.GraphProto;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRoundTripTest {

  /** A quiet NaN with a payload: only a bit-exact path keeps the payload. */
  private static final float NAN_WITH_PAYLOAD = Float.intBitsToFloat(0x7fc00123);

  /** Initializers of every DType, a scalar and an empty tensor; attributes of every kind. */
  static Model everyKindModel() {
    Map<String, Tensor> weights = new LinkedHashMap<>();
    weights.put("w.f32", Tensor.of(new float[] {1.5f, -0.0f, NAN_WITH_PAYLOAD,
        Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3.25e-7f}, 2, 3));
    weights.put("w.i64", Tensor.ofLongs(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 4));
    weights.put("w.i32", Tensor.ofInts(new int[] {Integer.MIN_VALUE, -7, 0, Integer.MAX_VALUE}, 2, 2));
    weights.put("w.u8", Tensor.ofBytes(DType.UINT8, new byte[] {0, 1, (byte) 200, (byte) 255}, 4));
    weights.put("w.i8", Tensor.ofBytes(DType.INT8, new byte[] {-128, -1, 0, 127}, 1, 4));
    weights.put("scalar", Tensor.of(new float[] {42f}));
    weights.put("empty", Tensor.of(new float[0], 0, 3));

    Map<String, Attribute> attrs = new LinkedHashMap<>();
    attrs.put("f", new Attribute.FloatAttr(0.125f));
    attrs.put("i", new Attribute.IntAttr(-5));
    attrs.put("s", new Attribute.StringAttr("SAME_UPPER ü"));
    attrs.put("t", new Attribute.TensorAttr(Tensor.ofBytes(DType.INT8, new byte[] {-3, 4}, 2)));
    attrs.put("floats", new Attribute.FloatsAttr(new float[] {1f, -0.5f, Float.NaN}));
    attrs.put("ints", new Attribute.IntsAttr(new long[] {1, -2, Long.MAX_VALUE}));
    attrs.put("strings", new Attribute.StringsAttr(List.of("a", "", "ß")));
    attrs.put("empty_ints", new Attribute.IntsAttr(new long[0]));

    List<Node> nodes = List.of(
        new Node("mix", "Custom", List.of("x", "", "w.f32"), List.of("h"), attrs),
        new Node("", "Constant", List.of(), List.of("c"), Map.of("value",
            new Attribute.TensorAttr(Tensor.ofLongs(new long[] {7, 8}, 2)))),
        new Node("sum", "Add", List.of("h", "c"), List.of("y")));
    List<ValueInfo> inputs = List.of(
        ValueInfo.batched("x", 3),
        new ValueInfo("unshaped", DType.INT64, null),
        new ValueInfo("unknown_dim", DType.UINT8, List.of(new Dim(-1, null), Dim.of(0))));
    List<ValueInfo> outputs = List.of(new ValueInfo("y", DType.FLOAT, List.of(Dim.symbol("n"), Dim.of(2))));
    List<ValueInfo> valueInfo = List.of(new ValueInfo("h", DType.FLOAT, List.of(Dim.of(1), Dim.of(2))));
    Graph g = new Graph("every kind", nodes, weights, inputs, outputs, valueInfo);

    Map<String, Long> opsets = new LinkedHashMap<>();
    opsets.put("", 13L);
    opsets.put("com.example", 2L);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("condense.steps", "prune,quantize");
    metadata.put("note", "ünïcode");
    return new Model(g, 8, opsets, "exporter", "1.2.3", "a doc string", metadata);
  }

  @Test
  void everyAttributeKindAndDtypeRoundTripsBitForBit() {
    Model m = everyKindModel();
    Model back = OnnxReader.read(OnnxWriter.toBytes(m), "every.onnx");
    assertSameModel(back, m);
    assertThat(Float.floatToRawIntBits(back.graph().initializer("w.f32").floats()[2])).isEqualTo(0x7fc00123);
    assertThat(Float.floatToRawIntBits(back.graph().initializer("w.f32").floats()[1])).isEqualTo(0x80000000);
  }

  @Test
  void roundTripThroughAFileIsIdentical(@TempDir Path dir) {
    Model m = everyKindModel();
    Path file = dir.resolve("every.onnx");
    OnnxWriter.write(m, file);
    Model back = OnnxReader.read(file);
    assertSameModel(back, m);
    assertThat(OnnxWriter.toBytes(back)).isEqualTo(OnnxWriter.toBytes(m));
  }

  @Test
  void serializationIsDeterministic() {
    assertThat(OnnxWriter.toBytes(everyKindModel())).isEqualTo(OnnxWriter.toBytes(everyKindModel()));
  }

  @Test
  void writesTensorsAsLittleEndianRawData() throws Exception {
    Graph g = new Graph.Builder("g")
        .initializer("w", Tensor.of(new float[] {1f, -2f}, 2))
        .initializer("k", Tensor.ofLongs(new long[] {258}, 1))
        .build();
    ModelProto p = ModelProto.parseFrom(OnnxWriter.toBytes(Model.of(g)));
    TensorProto w = p.getGraph().getInitializer(0);
    assertThat(w.getFloatDataCount()).isZero();
    assertThat(w.getRawData()).isEqualTo(Protos.bytes(0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0));
    assertThat(p.getGraph().getInitializer(1).getRawData()).isEqualTo(Protos.bytes(2, 1, 0, 0, 0, 0, 0, 0));
    assertThat(p.getIrVersion()).isEqualTo(Model.IR_VERSION);
    assertThat(p.getOpsetImport(0).getVersion()).isEqualTo(Model.OPSET);
    assertThat(p.getProducerName()).isEqualTo(Model.PRODUCER);
  }

  @Test
  void readsLittleEndianRawData() {
    GraphProto.Builder g = Protos.reluGraph()
        .addInitializer(Protos.tensor("f", 1, 2).setRawData(Protos.bytes(0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0)))
        .addInitializer(Protos.tensor("l", 7, 1).setRawData(Protos.bytes(2, 1, 0, 0, 0, 0, 0, 0x80)))
        .addInitializer(Protos.tensor("i", 6, 1).setRawData(Protos.bytes(0xff, 0xff, 0xff, 0xff)))
        .addInitializer(Protos.tensor("u", 2, 2).setRawData(Protos.bytes(200, 7)));
    Graph back = OnnxReader.read(Protos.model(g).build().toByteArray(), "raw.onnx").graph();
    assertThat(back.initializer("f").floats()).containsExactly(1f, -2f);
    assertThat(back.initializer("l").longs()).containsExactly(Long.MIN_VALUE + 258);
    assertThat(back.initializer("i").ints()).containsExactly(-1);
    assertThat(back.initializer("u").toLongs()).containsExactly(200, 7);
  }

  @Test
  void readsTypedDataFieldsAsOnnxDefinesThem() {
    GraphProto.Builder g = Protos.reluGraph()
        .addInitializer(Protos.tensor("f", 1, 2).addFloatData(0.5f).addFloatData(-1f))
        .addInitializer(Protos.tensor("l", 7, 2).addInt64Data(-9).addInt64Data(1L << 40))
        .addInitializer(Protos.tensor("i", 6, 1).addInt32Data(-123456))
        .addInitializer(Protos.tensor("u", 2, 2).addInt32Data(200).addInt32Data(0))
        .addInitializer(Protos.tensor("s", 3, 2).addInt32Data(-3).addInt32Data(127))
        .addInitializer(Protos.tensor("scalar", 1).addFloatData(6f));
    Graph back = OnnxReader.read(Protos.model(g).build().toByteArray(), "typed.onnx").graph();
    assertThat(back.initializer("f").floats()).containsExactly(0.5f, -1f);
    assertThat(back.initializer("l").longs()).containsExactly(-9, 1L << 40);
    assertThat(back.initializer("i").ints()).containsExactly(-123456);
    assertThat(back.initializer("u").dtype()).isEqualTo(DType.UINT8);
    assertThat(back.initializer("u").toLongs()).containsExactly(200, 0);
    assertThat(back.initializer("s").dtype()).isEqualTo(DType.INT8);
    assertThat(back.initializer("s").toLongs()).containsExactly(-3, 127);
    assertThat(back.initializer("scalar").shape()).isEmpty();
    assertThat(back.initializer("scalar").floats()).containsExactly(6f);
  }

  @Test
  void readsEveryAttributeKindFromProto() {
    GraphProto.Builder g = Protos.reluGraph();
    g.getNodeBuilder(0)
        .addAttribute(AttributeProto.newBuilder().setName("f").setType(AttributeProto.AttributeType.FLOAT).setF(2.5f))
        .addAttribute(AttributeProto.newBuilder().setName("i").setType(AttributeProto.AttributeType.INT).setI(-4))
        .addAttribute(AttributeProto.newBuilder().setName("s").setType(AttributeProto.AttributeType.STRING)
            .setS(com.google.protobuf.ByteString.copyFromUtf8("NOTSET")))
        .addAttribute(AttributeProto.newBuilder().setName("t").setType(AttributeProto.AttributeType.TENSOR)
            .setT(Protos.tensor("", 7, 1).addInt64Data(5)))
        .addAttribute(AttributeProto.newBuilder().setName("fs").setType(AttributeProto.AttributeType.FLOATS)
            .addFloats(1f).addFloats(2f))
        .addAttribute(AttributeProto.newBuilder().setName("is").setType(AttributeProto.AttributeType.INTS)
            .addInts(3).addInts(-1))
        .addAttribute(AttributeProto.newBuilder().setName("ss").setType(AttributeProto.AttributeType.STRINGS)
            .addStrings(com.google.protobuf.ByteString.copyFromUtf8("x")));
    Node n = OnnxReader.read(Protos.model(g).build().toByteArray(), "attrs.onnx").graph().nodes().get(0);
    assertThat(n.floatAttr("f", 0)).isEqualTo(2.5f);
    assertThat(n.intAttr("i", 0)).isEqualTo(-4);
    assertThat(n.stringAttr("s", "")).isEqualTo("NOTSET");
    assertSameBits(n.tensorAttr("t"), Tensor.ofLongs(new long[] {5}, 1));
    assertThat(n.attributes().get("fs")).isEqualTo(new Attribute.FloatsAttr(new float[] {1f, 2f}));
    assertThat(n.intsAttr("is", null)).containsExactly(3, -1);
    assertThat(n.attributes().get("ss")).isEqualTo(new Attribute.StringsAttr(List.of("x")));
  }

  @Test
  void bothNamesOfTheDefaultDomainAreTheDefaultDomain() {
    GraphProto.Builder g = Protos.reluGraph();
    g.getNodeBuilder(0).setDomain("ai.onnx");
    ModelProto p = Protos.model(g).clearOpsetImport()
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx").setVersion(14)).build();
    Model m = OnnxReader.read(p.toByteArray(), "domain.onnx");
    assertThat(m.opsetImports()).containsExactly(Map.entry("", 14L));
    assertThat(m.opset()).isEqualTo(14);
    assertThat(m.graph().nodes().get(0).opType()).isEqualTo("Relu");
  }

  @Test
  void weightsListedAsInputsAreNotGraphInputs() {
    Model plain = OnnxReader.read(Fixtures.path("tiny_cnn.onnx"));
    Model old = OnnxReader.read(Fixtures.path("tiny_cnn_weights_as_inputs.onnx"));
    assertThat(old.graph().inputs()).extracting(ValueInfo::name).containsExactly("input");
    assertSameModel(old, plain);
  }
}
