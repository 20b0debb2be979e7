package dev.condense.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.condense.CondenseException;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.NodeProto;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes of an ONNX file as written, without reading it into a {@link dev.condense.graph.Model}:
 * for files of other producers' ops, such as ONNX Runtime's optimized graph (QLinearConv, QGemm in
 * the com.microsoft domain), whose contents a check counts.
 */
public final class NodeListing {
  private NodeListing() {}

  /** One node: its domain ("" for ONNX's), op type, name, inputs and outputs. */
  public record Listed(String domain, String opType, String name, List<String> inputs, List<String> outputs) {}

  /** The top-level graph's nodes of a serialized model; {@code source} names it in messages. */
  public static List<Listed> of(byte[] bytes, String source) {
    ModelProto p;
    try {
      p = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CondenseException(source + ": truncated or corrupt ONNX file");
    }
    List<Listed> r = new ArrayList<>();
    for (NodeProto n : p.getGraph().getNodeList()) {
      r.add(new Listed(n.getDomain(), n.getOpType(), n.getName(), List.copyOf(n.getInputList()),
          List.copyOf(n.getOutputList())));
    }
    return r;
  }
}
