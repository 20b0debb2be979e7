package dev.condense.ort;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.onnx.proto.OnnxProto.GraphProto;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.NodeProto;
import dev.condense.onnx.proto.OnnxProto.TypeProto;
import dev.condense.onnx.proto.OnnxProto.ValueInfoProto;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Intermediate values made visible to ONNX Runtime, which returns only graph outputs: each one
 * requested is appended to the serialized model's graph outputs (ONNX IR: a graph's {@code
 * output} may name any value a node produces), typed with its element type and no shape, which
 * ONNX Runtime infers. The graph is otherwise the bytes as given.
 */
final class ExtraOutputs {
  private ExtraOutputs() {}

  /**
   * {@code bytes} with {@code values} added as graph outputs (those already outputs are left as
   * they are); {@code dtype} gives each one's element type. A value no node produces and no
   * initializer holds is refused, naming it.
   */
  static byte[] add(byte[] bytes, List<String> values, Function<String, DType> dtype) {
    ModelProto m;
    try {
      m = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CondenseException("the model given to ONNX Runtime is not a readable ONNX model: " + e.getMessage(), e);
    }
    GraphProto g = m.getGraph();
    Set<String> outputs = new HashSet<>();
    g.getOutputList().forEach(v -> outputs.add(v.getName()));
    Set<String> produced = new HashSet<>();
    for (NodeProto n : g.getNodeList()) {
      produced.addAll(n.getOutputList());
    }
    g.getInitializerList().forEach(t -> produced.add(t.getName()));
    GraphProto.Builder b = g.toBuilder();
    for (String v : values) {
      if (!outputs.add(v)) {
        continue;
      }
      if (!produced.contains(v)) {
        throw new CondenseException("no value named '" + v + "' in the graph ONNX Runtime runs");
      }
      b.addOutput(ValueInfoProto.newBuilder().setName(v).setType(TypeProto.newBuilder()
          .setTensorType(TypeProto.Tensor.newBuilder().setElemType(dtype.apply(v).onnxCode()))));
    }
    return m.toBuilder().setGraph(b).build().toByteArray();
  }
}
