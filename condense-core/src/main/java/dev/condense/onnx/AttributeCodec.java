package dev.condense.onnx;

import com.google.protobuf.ByteString;
import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Tensor;
import dev.condense.onnx.proto.OnnxProto.AttributeProto;
import dev.condense.onnx.proto.OnnxProto.AttributeProto.AttributeType;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between ONNX {@code AttributeProto} and {@link Attribute}, both ways. The kinds
 * Condense's op set uses (float, int, string, tensor and their lists except tensors) map one to
 * one; the others (graphs, i.e. control flow; sparse tensors; type protos; tensor lists) are
 * refused with an error naming the node and the attribute, never dropped.
 */
final class AttributeCodec {

  private AttributeCodec() {}

  /**
   * The attribute a proto holds; {@code node} is the node's label, for messages, and a tensor's
   * external bytes are read from {@code external}.
   */
  static Attribute decode(AttributeProto a, String node, ExternalData external) {
    String where = "node " + node + ", attribute '" + a.getName() + "'";
    if (!a.getRefAttrName().isEmpty()) {
      throw new CondenseException(where + ": references a function attribute ('"
          + a.getRefAttrName() + "'); model-local functions are not supported");
    }
    return switch (a.getType()) {
      case FLOAT -> new Attribute.FloatAttr(a.getF());
      case INT -> new Attribute.IntAttr(a.getI());
      case STRING -> new Attribute.StringAttr(a.getS().toStringUtf8());
      case TENSOR -> new Attribute.TensorAttr(TensorCodec.decode(a.getT(), where, external));
      case FLOATS -> {
        float[] v = new float[a.getFloatsCount()];
        for (int i = 0; i < v.length; i++) {
          v[i] = a.getFloats(i);
        }
        yield new Attribute.FloatsAttr(v);
      }
      case INTS -> {
        long[] v = new long[a.getIntsCount()];
        for (int i = 0; i < v.length; i++) {
          v[i] = a.getInts(i);
        }
        yield new Attribute.IntsAttr(v);
      }
      case STRINGS -> {
        List<String> v = new ArrayList<>(a.getStringsCount());
        for (ByteString s : a.getStringsList()) {
          v.add(s.toStringUtf8());
        }
        yield new Attribute.StringsAttr(v);
      }
      case GRAPH, GRAPHS -> throw unsupported(where, "graph attributes (control flow)");
      case SPARSE_TENSOR, SPARSE_TENSORS -> throw unsupported(where, "sparse tensor attributes");
      case TYPE_PROTO, TYPE_PROTOS -> throw unsupported(where, "type attributes");
      case TENSORS -> throw unsupported(where, "tensor-list attributes");
      case UNDEFINED -> throw new CondenseException(where + ": attribute has no type");
    };
  }

  /** The proto of an attribute named {@code name}. */
  static AttributeProto encode(String name, Attribute attr) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name);
    if (attr instanceof Attribute.FloatAttr f) {
      b.setType(AttributeType.FLOAT).setF(f.value());
    } else if (attr instanceof Attribute.IntAttr i) {
      b.setType(AttributeType.INT).setI(i.value());
    } else if (attr instanceof Attribute.StringAttr s) {
      b.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(s.value()));
    } else if (attr instanceof Attribute.TensorAttr t) {
      b.setType(AttributeType.TENSOR).setT(TensorCodec.encode(t.value(), ""));
    } else if (attr instanceof Attribute.FloatsAttr f) {
      b.setType(AttributeType.FLOATS);
      for (float v : f.values()) {
        b.addFloats(v);
      }
    } else if (attr instanceof Attribute.IntsAttr i) {
      b.setType(AttributeType.INTS);
      for (long v : i.values()) {
        b.addInts(v);
      }
    } else if (attr instanceof Attribute.StringsAttr s) {
      b.setType(AttributeType.STRINGS);
      for (String v : s.values()) {
        b.addStrings(ByteString.copyFromUtf8(v));
      }
    } else {
      throw new IllegalStateException("unknown attribute kind " + attr.getClass());
    }
    return b.build();
  }

  /** The proto of a tensor attribute, its tensor stored as element type {@code as}. */
  static AttributeProto encodeTensor(String name, Tensor t, DType as) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR)
        .setT(TensorCodec.encode(t, "", as)).build();
  }

  private static CondenseException unsupported(String where, String what) {
    return new CondenseException(where + ": " + what + " are not supported");
  }
}
