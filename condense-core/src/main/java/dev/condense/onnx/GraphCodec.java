package dev.condense.onnx;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Storage;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.proto.OnnxProto.AttributeProto;
import dev.condense.onnx.proto.OnnxProto.GraphProto;
import dev.condense.onnx.proto.OnnxProto.NodeProto;
import dev.condense.onnx.proto.OnnxProto.SparseTensorProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import dev.condense.onnx.proto.OnnxProto.TensorShapeProto;
import dev.condense.onnx.proto.OnnxProto.TypeProto;
import dev.condense.onnx.proto.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Converts between ONNX {@code GraphProto} and {@link Graph}, both ways: nodes, initializers,
 * declared inputs, outputs and intermediate types. Graph inputs that are also initializers (older
 * exporters list every weight as an input) are dropped on reading, since {@link Graph#inputs()}
 * holds only fed values. Whatever the graph model cannot hold faithfully is refused with an error
 * naming the element; messages carry no file name, {@link OnnxReader} adds it.
 */
final class GraphCodec {

  /** The names ONNX gives its default operator domain. */
  static final Set<String> DEFAULT_DOMAINS = Set.of("", "ai.onnx");

  private GraphCodec() {}

  /** The graph, reading tensors stored as external data from {@code external}. */
  static Graph decode(GraphProto g, ExternalData external) {
    if (g.getSparseInitializerCount() > 0) {
      SparseTensorProto s = g.getSparseInitializer(0);
      throw new CondenseException("sparse initializer '" + s.getValues().getName() + "' is not supported");
    }
    if (g.getQuantizationAnnotationCount() > 0) {
      throw new CondenseException("quantization annotations (tensor '"
          + g.getQuantizationAnnotation(0).getTensorName() + "') are not supported");
    }
    Map<String, Tensor> initializers = new LinkedHashMap<>();
    Map<String, Storage> storage = new LinkedHashMap<>();
    for (TensorProto t : g.getInitializerList()) {
      if (t.getName().isEmpty()) {
        throw new CondenseException("an initializer has no name");
      }
      String where = "initializer '" + t.getName() + "'";
      if (initializers.put(t.getName(), TensorCodec.decode(t, where, external)) != null) {
        throw new CondenseException(where + " appears twice");
      }
      Storage s = TensorCodec.storageOf(t, where);
      if (s != null) {
        storage.put(t.getName(), s);
      }
    }
    List<ValueInfo> inputs = new ArrayList<>();
    for (ValueInfoProto v : g.getInputList()) {
      if (!initializers.containsKey(v.getName())) {
        inputs.add(decodeValueInfo(v, "graph input"));
      }
    }
    List<ValueInfo> outputs = decodeValueInfos(g.getOutputList(), "graph output");
    List<ValueInfo> valueInfo = decodeValueInfos(g.getValueInfoList(), "value_info");
    List<Node> nodes = new ArrayList<>(g.getNodeCount());
    for (NodeProto n : g.getNodeList()) {
      nodes.add(decodeNode(n, external, storage));
    }
    return new Graph(g.getName(), nodes, initializers, inputs, outputs, valueInfo, storage);
  }

  /** The proto of a graph, each tensor inline in the type its {@link Storage} names. */
  static GraphProto encode(Graph g) {
    return encode(g, (name, t) -> TensorCodec.encode(t, name, storedType(g, name, t)));
  }

  /** The proto of a graph whose initializers {@code initializer} encodes (inline or external). */
  static GraphProto encode(Graph g, BiFunction<String, Tensor, TensorProto> initializer) {
    GraphProto.Builder b = GraphProto.newBuilder().setName(g.name());
    for (Node n : g.nodes()) {
      b.addNode(encodeNode(n, g));
    }
    g.initializers().forEach((name, t) -> b.addInitializer(initializer.apply(name, t)));
    g.inputs().forEach(v -> b.addInput(encodeValueInfo(v)));
    g.outputs().forEach(v -> b.addOutput(encodeValueInfo(v)));
    g.valueInfo().forEach(v -> b.addValueInfo(encodeValueInfo(v)));
    return b.build();
  }

  /**
   * The element type the tensor of {@code value} (an initializer, or the tensor attribute of the
   * node whose first output it is) is written in: the type the file had, for a float tensor.
   */
  static DType storedType(Graph g, String value, Tensor t) {
    Storage s = g.storage(value);
    return s != null && t.dtype() == DType.FLOAT && s.dtype().isFloat() ? s.dtype() : t.dtype();
  }

  private static Node decodeNode(NodeProto n, ExternalData external, Map<String, Storage> storage) {
    // A node without attributes gives the label every message about this node uses.
    String label = new Node(n.getName(), n.getOpType(), n.getInputList(), n.getOutputList()).label();
    if (!DEFAULT_DOMAINS.contains(n.getDomain())) {
      throw new CondenseException("unsupported op '" + n.getOpType() + "' from domain '"
          + n.getDomain() + "' at node " + label + "; Condense supports only the default ONNX domain");
    }
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().isEmpty()) {
        throw new CondenseException("node " + label + ": an attribute has no name");
      }
      if (attributes.put(a.getName(), AttributeCodec.decode(a, label, external)) != null) {
        throw new CondenseException("node " + label + ": attribute '" + a.getName() + "' appears twice");
      }
      if (a.hasT() && n.getOutputCount() > 0) {
        Storage s = TensorCodec.storageOf(a.getT(), "node " + label + ", attribute '" + a.getName() + "'");
        if (s != null) {
          storage.put(n.getOutput(0), s);
        }
      }
    }
    return new Node(n.getName(), n.getOpType(), n.getInputList(), n.getOutputList(), attributes);
  }

  private static NodeProto encodeNode(Node n, Graph g) {
    NodeProto.Builder b = NodeProto.newBuilder().setOpType(n.opType())
        .addAllInput(n.inputs()).addAllOutput(n.outputs());
    if (n.name() != null && !n.name().isEmpty()) {
      b.setName(n.name());
    }
    n.attributes().forEach((name, a) -> b.addAttribute(a instanceof Attribute.TensorAttr t && !n.outputs().isEmpty()
        ? AttributeCodec.encodeTensor(name, t.value(), storedType(g, n.output(0), t.value()))
        : AttributeCodec.encode(name, a)));
    return b.build();
  }

  private static List<ValueInfo> decodeValueInfos(List<ValueInfoProto> protos, String role) {
    List<ValueInfo> r = new ArrayList<>(protos.size());
    for (ValueInfoProto v : protos) {
      r.add(decodeValueInfo(v, role));
    }
    return r;
  }

  private static ValueInfo decodeValueInfo(ValueInfoProto v, String role) {
    String where = role + " '" + v.getName() + "'";
    if (v.getName().isEmpty()) {
      throw new CondenseException("a " + role + " has no name");
    }
    TypeProto t = v.getType();
    if (t.getValueCase() == TypeProto.ValueCase.VALUE_NOT_SET) {
      throw new CondenseException(where + " has no type");
    }
    if (!t.hasTensorType()) {
      throw new CondenseException(where + ": " + nonTensorKind(t)
          + " values are not supported (Condense handles tensors only)");
    }
    DType dtype = DType.fromOnnx(t.getTensorType().getElemType(), where);
    if (!t.getTensorType().hasShape()) {
      return new ValueInfo(v.getName(), dtype, null);
    }
    List<ValueInfo.Dim> dims = new ArrayList<>();
    for (TensorShapeProto.Dimension d : t.getTensorType().getShape().getDimList()) {
      if (d.hasDimValue() && d.getDimValue() >= 0) {
        dims.add(ValueInfo.Dim.of(d.getDimValue()));
      } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
        dims.add(ValueInfo.Dim.symbol(d.getDimParam()));
      } else {
        dims.add(new ValueInfo.Dim(-1, null));
      }
    }
    return new ValueInfo(v.getName(), dtype, dims);
  }

  private static String nonTensorKind(TypeProto t) {
    return switch (t.getValueCase()) {
      case SEQUENCE_TYPE -> "sequence";
      case MAP_TYPE -> "map";
      case OPTIONAL_TYPE -> "optional";
      case SPARSE_TENSOR_TYPE -> "sparse tensor";
      case TENSOR_TYPE, VALUE_NOT_SET -> throw new IllegalStateException(t.getValueCase().name());
    };
  }

  private static ValueInfoProto encodeValueInfo(ValueInfo v) {
    TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(v.dtype().onnxCode());
    if (v.dims() != null) {
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (ValueInfo.Dim d : v.dims()) {
        TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
        if (d.isFixed()) {
          db.setDimValue(d.value());
        } else if (d.param() != null) {
          db.setDimParam(d.param());
        }
        shape.addDim(db);
      }
      t.setShape(shape);
    }
    return ValueInfoProto.newBuilder().setName(v.name())
        .setType(TypeProto.newBuilder().setTensorType(t)).build();
  }
}
