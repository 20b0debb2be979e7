package dev.condense.onnx;

import com.google.protobuf.ByteString;
import dev.condense.onnx.proto.OnnxProto.GraphProto;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.NodeProto;
import dev.condense.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import dev.condense.onnx.proto.OnnxProto.TensorShapeProto;
import dev.condense.onnx.proto.OnnxProto.TypeProto;
import dev.condense.onnx.proto.OnnxProto.ValueInfoProto;

/** Hand-built ONNX protos for tests: what other exporters write, and what Condense refuses. */
final class Protos {

  private Protos() {}

  /** A model around {@code graph} with IR 8 and opset 13, as a recent exporter writes it. */
  static ModelProto.Builder model(GraphProto.Builder graph) {
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
        .setGraph(graph).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13));
  }

  /** A one-node graph y = Relu(x) with x, y float [1, 4]. */
  static GraphProto.Builder reluGraph() {
    return GraphProto.newBuilder().setName("g")
        .addNode(node("relu", "Relu", "x", "y"))
        .addInput(floatValue("x", 1, 4))
        .addOutput(floatValue("y", 1, 4));
  }

  static NodeProto.Builder node(String name, String op, String input, String output) {
    return NodeProto.newBuilder().setName(name).setOpType(op).addInput(input).addOutput(output);
  }

  static ValueInfoProto floatValue(String name, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
  }

  static TensorProto.Builder tensor(String name, int dataType, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dataType);
    for (long d : dims) {
      t.addDims(d);
    }
    return t;
  }

  static ByteString bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteString.copyFrom(b);
  }
}
