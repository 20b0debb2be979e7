package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operator application, as in ONNX: an op type, named inputs and outputs (an empty input name
 * means an optional input left out) and attributes. Nodes are immutable.
 */
public record Node(String name, String opType, List<String> inputs, List<String> outputs,
    Map<String, Attribute> attributes) {

  public Node {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public Node(String name, String opType, List<String> inputs, List<String> outputs) {
    this(name, opType, inputs, outputs, Map.of());
  }

  /** The i-th input name, or "" where the input is absent. */
  public String input(int i) {
    return i < inputs.size() ? inputs.get(i) : "";
  }

  public boolean hasInput(int i) {
    return !input(i).isEmpty();
  }

  public String output(int i) {
    return outputs.get(i);
  }

  /** How this node is named in messages: its name, else its op and first output. */
  public String label() {
    String n = name == null || name.isEmpty() ? "" : "'" + name + "' ";
    return n + "(" + opType + (outputs.isEmpty() ? "" : " -> " + outputs.get(0)) + ")";
  }

  public boolean has(String attr) {
    return attributes.containsKey(attr);
  }

  public long intAttr(String attr, long dflt) {
    Attribute a = attributes.get(attr);
    if (a == null) {
      return dflt;
    }
    if (a instanceof Attribute.IntAttr i) {
      return i.value();
    }
    throw wrongKind(attr, "int");
  }

  public float floatAttr(String attr, float dflt) {
    Attribute a = attributes.get(attr);
    if (a == null) {
      return dflt;
    }
    if (a instanceof Attribute.FloatAttr f) {
      return f.value();
    }
    throw wrongKind(attr, "float");
  }

  public String stringAttr(String attr, String dflt) {
    Attribute a = attributes.get(attr);
    if (a == null) {
      return dflt;
    }
    if (a instanceof Attribute.StringAttr s) {
      return s.value();
    }
    throw wrongKind(attr, "string");
  }

  /** An ints attribute, or {@code dflt} (may be null) when absent. */
  public long[] intsAttr(String attr, long[] dflt) {
    Attribute a = attributes.get(attr);
    if (a == null) {
      return dflt;
    }
    if (a instanceof Attribute.IntsAttr i) {
      return i.values().clone();
    }
    throw wrongKind(attr, "ints");
  }

  public Tensor tensorAttr(String attr) {
    Attribute a = attributes.get(attr);
    if (a instanceof Attribute.TensorAttr t) {
      return t.value();
    }
    throw a == null ? new CondenseException("node " + label() + ": missing attribute '" + attr + "'")
        : wrongKind(attr, "tensor");
  }

  private CondenseException wrongKind(String attr, String kind) {
    return new CondenseException("node " + label() + ": attribute '" + attr + "' must be " + kind
        + ", got " + attributes.get(attr).getClass().getSimpleName());
  }

  /** A copy with other inputs. */
  public Node withInputs(List<String> newInputs) {
    return new Node(name, opType, newInputs, outputs, attributes);
  }

  /** A copy with one attribute set. */
  public Node withAttribute(String attr, Attribute value) {
    Map<String, Attribute> m = new LinkedHashMap<>(attributes);
    m.put(attr, value);
    return new Node(name, opType, inputs, outputs, m);
  }
}
