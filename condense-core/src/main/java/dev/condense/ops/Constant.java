package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/** ONNX Constant: a value held in an attribute (value, value_float(s), value_int(s)); known at load time. */
final class Constant extends LoadTimeOp {

  Constant() {
    super(0);
  }

  @Override
  public String type() {
    return "Constant";
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public Kind kind() {
    return Kind.CONSTANT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    super.infer(n, in, constants);
    Tensor t = value(n);
    return List.of(new ValueType(t.dtype(), t.shape()));
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return value(n);
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.NONE;
  }

  /** The tensor a Constant node produces. */
  static Tensor value(Node n) {
    if (n.has("value")) {
      return n.tensorAttr("value");
    }
    if (n.has("value_float")) {
      return Tensor.of(new float[] {n.floatAttr("value_float", 0)});
    }
    if (n.has("value_int")) {
      return Tensor.ofLongs(new long[] {n.intAttr("value_int", 0)});
    }
    if (n.has("value_floats") && n.attributes().get("value_floats") instanceof Attribute.FloatsAttr f) {
      return Tensor.of(f.values().clone(), f.values().length);
    }
    if (n.has("value_ints")) {
      long[] v = n.intsAttr("value_ints", null);
      return Tensor.ofLongs(v, v.length);
    }
    throw new CondenseException("node " + n.label() + ": Constant without a supported value attribute"
        + " (value, value_float, value_floats, value_int, value_ints)");
  }
}
