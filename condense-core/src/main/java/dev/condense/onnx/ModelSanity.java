package dev.condense.onnx;

import dev.condense.onnx.proto.OnnxProto.AttributeProto;
import dev.condense.onnx.proto.OnnxProto.GraphProto;
import dev.condense.onnx.proto.OnnxProto.ModelProto;
import dev.condense.onnx.proto.OnnxProto.NodeProto;
import dev.condense.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.condense.onnx.proto.OnnxProto.SparseTensorProto;
import dev.condense.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.condense.onnx.proto.OnnxProto.TensorAnnotation;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import dev.condense.onnx.proto.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a parsed {@code ModelProto} is plausibly a real ONNX model. Protobuf accepts
 * many random byte strings, and a corrupted file can still parse; real models always have an IR
 * version, a graph, an opset import and op types, and their names never hold control
 * characters. Rejecting such names also keeps every later message about the model on one line.
 */
final class ModelSanity {

  private ModelSanity() {}

  /** The first defect no real ONNX model has, or null if there is none. */
  static String defect(ModelProto m) {
    if (m.getIrVersion() <= 0) {
      return "no IR version";
    }
    if (!m.hasGraph()) {
      return "no graph";
    }
    if (m.getOpsetImportCount() == 0) {
      return "no opset import";
    }
    GraphProto g = m.getGraph();
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getOpType().isEmpty()) {
        return "node " + i + " has no op type";
      }
    }
    for (String name : names(m)) {
      if (hasControlCharacter(name)) {
        return "the name '" + escape(name) + "' contains control characters";
      }
    }
    return null;
  }

  /** Every name in the model that Condense keeps or may print in a message. */
  private static List<String> names(ModelProto m) {
    List<String> names = new ArrayList<>();
    for (OperatorSetIdProto o : m.getOpsetImportList()) {
      names.add(o.getDomain());
    }
    for (StringStringEntryProto e : m.getMetadataPropsList()) {
      names.add(e.getKey());
    }
    GraphProto g = m.getGraph();
    names.add(g.getName());
    for (NodeProto n : g.getNodeList()) {
      names.add(n.getName());
      names.add(n.getOpType());
      names.add(n.getDomain());
      names.addAll(n.getInputList());
      names.addAll(n.getOutputList());
      for (AttributeProto a : n.getAttributeList()) {
        names.add(a.getName());
        names.add(a.getRefAttrName());
      }
    }
    for (TensorProto t : g.getInitializerList()) {
      names.add(t.getName());
    }
    for (SparseTensorProto s : g.getSparseInitializerList()) {
      names.add(s.getValues().getName());
    }
    for (TensorAnnotation a : g.getQuantizationAnnotationList()) {
      names.add(a.getTensorName());
    }
    for (List<ValueInfoProto> values : List.of(g.getInputList(), g.getOutputList(), g.getValueInfoList())) {
      for (ValueInfoProto v : values) {
        names.add(v.getName());
      }
    }
    return names;
  }

  private static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }
}
