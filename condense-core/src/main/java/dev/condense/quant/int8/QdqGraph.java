package dev.condense.quant.int8;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.ops.LinearQuantization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the QDQ graph of a {@link QdqLayout}: after each quantized value a QuantizeLinear, and
 * before each of its uses a DequantizeLinear of its own (one per consumer, the form ONNX Runtime's
 * selectors match node by node); each layer's weight an int8 initializer behind a per-channel
 * DequantizeLinear (axis = the output channel) and its bias an int32 one at {@code s_x · s_w}. A
 * quantized graph output keeps its name: the Dequantize writes it.
 */
final class QdqGraph {
  private final Graph g;
  private final QdqLayout layout;
  private final Map<String, ActivationParams> params;
  private final Map<String, Tensor> inits;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Integer> uses = new HashMap<>();
  private final List<String> quantizeNodes = new ArrayList<>();
  private final List<String> dequantizeNodes = new ArrayList<>();

  /** The QDQ graph and the names of the Quantize and Dequantize nodes it added. */
  record Written(Graph graph, List<String> quantizeNodes, List<String> dequantizeNodes) {}

  private QdqGraph(Graph g, QdqLayout layout, Map<String, ActivationParams> params) {
    this.g = g;
    this.layout = layout;
    this.params = params;
    this.inits = new LinkedHashMap<>(g.initializers());
  }

  /** The QDQ form of {@code g}; {@code params} holds the parameters of every observed value. */
  static Written write(Graph g, QdqLayout layout, Map<String, ActivationParams> params) {
    QdqGraph w = new QdqGraph(g, layout, params);
    return new Written(w.build(), List.copyOf(w.quantizeNodes), List.copyOf(w.dequantizeNodes));
  }

  private Graph build() {
    Set<String> quantized = layout.quantized();
    Set<String> layers = new java.util.HashSet<>();
    layout.layers().forEach(n -> layers.add(n.name()));
    for (ValueInfo vi : g.inputs()) {
      if (quantized.contains(vi.name())) {
        quantize(vi.name(), vi.name());
      }
    }
    for (Node n : g.nodes()) {
      if (layout.onIntegers().contains(n.name())) {
        onIntegers(n);
        continue;
      }
      List<String> in = new ArrayList<>(n.inputs());
      for (int i = 0; i < in.size(); i++) {
        if (quantized.contains(in.get(i))) {
          in.set(i, dequantize(in.get(i), n));
        }
      }
      if (layers.contains(n.name()) && !layout.floatLayers().contains(n.name())) {
        quantizeWeights(n, in);
      }
      List<String> out = new ArrayList<>(n.outputs());
      String y = n.output(0);
      boolean quantizedOutput = quantized.contains(y);
      if (quantizedOutput && g.isGraphOutput(y)) {
        out.set(0, y + "/float");
      }
      nodes.add(new Node(n.name(), n.opType(), in, out, n.attributes()));
      if (quantizedOutput) {
        quantize(y, out.get(0));
      }
    }
    return new Graph(g.name(), nodes, inits, g.inputs(), g.outputs(), List.of());
  }

  /**
   * A node of {@link dev.condense.ops.IntegerForm#ON_INTEGERS} on the quantized integers: it reads
   * {@code x/quantized} and writes {@code y/quantized} with its input's parameters, its fill the
   * zero point (the integer of 0).
   */
  private void onIntegers(Node n) {
    String y = n.output(0);
    String src = layout.source(y);
    scaleAndZero(src);
    List<String> in = new ArrayList<>(n.inputs());
    in.set(0, n.input(0) + "/quantized");
    if (n.stringAttr("mode", "constant").equals("constant")) {
      while (in.size() < 3) {
        in.add("");
      }
      in.set(2, src + "/zero_point");
    }
    nodes.add(new Node(n.name(), n.opType(), in, List.of(y + "/quantized"), n.attributes()));
    dequantizeOutput(y, src);
  }

  /** QuantizeLinear of value {@code v} (computed as {@code from}) into {@code v/quantized}. */
  private void quantize(String v, String from) {
    String src = layout.source(v);
    scaleAndZero(src);
    quantizeNodes.add(v + "/QuantizeLinear");
    nodes.add(new Node(v + "/QuantizeLinear", "QuantizeLinear", List.of(from, src + "/scale", src + "/zero_point"),
        List.of(v + "/quantized")));
    dequantizeOutput(v, src);
  }

  /** The Dequantize that writes {@code v} when it is a graph output. */
  private void dequantizeOutput(String v, String src) {
    if (g.isGraphOutput(v)) {
      dequantizeNodes.add(v + "/DequantizeLinear");
      nodes.add(new Node(v + "/DequantizeLinear", "DequantizeLinear",
          List.of(v + "/quantized", src + "/scale", src + "/zero_point"), List.of(v)));
    }
  }

  /** A DequantizeLinear of quantized value {@code v} for its consumer {@code user}; its output's name. */
  private String dequantize(String v, Node user) {
    String src = layout.source(v);
    int k = uses.merge(v, 1, Integer::sum);
    String out = v + "/dequantized" + (k == 1 ? "" : "_" + k);
    String name = v + "/DequantizeLinear" + (k == 1 ? "" : "_" + k);
    dequantizeNodes.add(name);
    nodes.add(new Node(name, "DequantizeLinear",
        List.of(v + "/quantized", src + "/scale", src + "/zero_point"), List.of(out)));
    return out;
  }

  private void scaleAndZero(String src) {
    ActivationParams p = params.get(src);
    if (!inits.containsKey(src + "/scale")) {
      inits.put(src + "/scale", Tensor.of(new float[] {p.scale()}));
      inits.put(src + "/zero_point", LinearQuantization.integers(new float[] {p.zeroPoint()}, p.type(), new int[0]));
    }
  }

  /** The layer's weight (input 1) and bias (input 2) as int8 and int32 behind DequantizeLinear. */
  private void quantizeWeights(Node n, List<String> in) {
    Tensor w = g.initializer(n.input(1));
    if (w == null) {
      throw new CondenseException("INT8: node " + n.label() + ": its weight '" + n.input(1) + "' is not a constant");
    }
    if (g.consumers(n.input(1)).size() != 1) {
      throw new CondenseException("INT8: node " + n.label() + ": its weight '" + n.input(1) + "' is shared with another node");
    }
    if (n.intAttr("transA", 0) != 0 || n.floatAttr("alpha", 1f) != 1f || n.floatAttr("beta", 1f) != 1f) {
      throw new CondenseException("INT8: node " + n.label() + ": Gemm with transA, alpha or beta other than the defaults "
          + "is not quantized");
    }
    int axis = WeightAxis.of(n, w.rank());
    WeightQuantization q = WeightQuantization.of(w, axis);
    String wName = n.input(1);
    int channels = q.scales().length;
    inits.remove(wName);
    inits.put(wName + "/int8", q.values());
    inits.put(wName + "/scale", Tensor.of(q.scales(), channels));
    inits.put(wName + "/zero_point", Tensor.ofBytes(DType.INT8, new byte[channels], channels));
    in.set(1, perChannel(wName, wName + "/int8", axis));
    if (n.hasInput(2)) {
      String bName = n.input(2);
      Tensor b = g.initializer(bName);
      if (b == null || b.size() != channels || g.consumers(bName).size() != 1) {
        throw new CondenseException("INT8: node " + n.label() + ": its bias '" + bName + "' is not a constant of its own with "
            + channels + " values");
      }
      float sx = params.get(layout.source(n.input(0))).scale();
      inits.remove(bName);
      inits.put(bName + "/int32", q.bias(b.reshape(channels), sx));
      inits.put(bName + "/scale", Tensor.of(q.biasScales(sx), channels));
      inits.put(bName + "/zero_point", Tensor.ofInts(new int[channels], channels));
      in.set(2, perChannel(bName, bName + "/int32", 0));
    }
  }

  private String perChannel(String name, String integers, int axis) {
    String out = name + "/dequantized";
    dequantizeNodes.add(name + "/DequantizeLinear");
    Map<String, Attribute> attrs = new LinkedHashMap<>();
    attrs.put("axis", new Attribute.IntAttr(axis));
    nodes.add(new Node(name + "/DequantizeLinear", "DequantizeLinear",
        List.of(integers, name + "/scale", name + "/zero_point"), List.of(out), attrs));
    return out;
  }
}
