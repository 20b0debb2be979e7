package dev.condense.quant.int8;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.FreshNames;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.ops.LinearQuantization;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the QDQ graph of a {@link QdqLayout}: after each quantized value a QuantizeLinear, and
 * before each of its uses a DequantizeLinear of its own (one per consumer, the form ONNX Runtime's
 * selectors match node by node); each layer's weight an int8 initializer behind a per-channel
 * DequantizeLinear (axis = the output channel) and its bias an int32 one at {@code s_x · s_w}.
 * The weight's and the bias's DequantizeLinear have no zero-point input: it is optional and 0 by
 * default, and the integers' type is the initializer's (ONNX DequantizeLinear-13) — except the
 * weight of an op that {@link dev.condense.ops.Op#integerWeightNeedsZeroPoint needs it} for ONNX
 * Runtime to fuse (Gemm), which keeps its int8 zeros. An activation's
 * Quantize and Dequantize keep theirs, a scalar whose type (uint8 or int8) is the Quantize's output
 * type. A quantized graph output keeps its name: the Dequantize writes it.
 *
 * <p>Names. The graph's own nodes and values keep their names (reports, per-layer options and
 * sensitivity tables name them); what the writer adds is named by kind, a letter and a counter
 * from 0 in graph order ({@link FreshNames#next}: a number whose name the graph already has is
 * skipped), so the names are short, unique and the same every run: QuantizeLinear nodes
 * {@code Q0, Q1, …}, DequantizeLinear nodes {@code D0, …}; an activation's integers {@code q0, …}
 * (a Quantize's output, or that of a node computing on the integers), a Dequantize's float output
 * {@code d0, …}, scales {@code s0, …}, zero points {@code z0, …}, int8 weights
 * {@code w0, …}, int32 biases {@code b0, …}, and a quantized graph output's float value before its
 * Quantize {@code f0, …}. An INT8 file is mostly its int8 weights; long derived names repeated in
 * every reference were a tenth of a small one (ResNet-20: 30 of 326 KB, {@code
 * bench/results/int8-models.md}).
 */
final class QdqGraph {
  private final Graph g;
  private final OpTable table;
  private final QdqLayout layout;
  private final Map<String, ActivationParams> params;
  private final Map<String, Tensor> inits;
  private final FreshNames names;
  private final List<Node> nodes = new ArrayList<>();
  private final List<String> quantizeNodes = new ArrayList<>();
  private final List<String> dequantizeNodes = new ArrayList<>();
  /** Each quantized value's integers. */
  private final Map<String, String> integers = new LinkedHashMap<>();
  /** Each observed value's scale and zero point initializers. */
  private final Map<String, String[]> scaleAndZero = new LinkedHashMap<>();

  /**
   * The QDQ graph, the names of the Quantize and Dequantize nodes it added, and the integer value
   * of each quantized float value.
   */
  record Written(Graph graph, List<String> quantizeNodes, List<String> dequantizeNodes, Map<String, String> integers) {}

  private QdqGraph(Graph g, OpTable table, QdqLayout layout, Map<String, ActivationParams> params) {
    this.g = g;
    this.table = table;
    this.layout = layout;
    this.params = params;
    this.inits = new LinkedHashMap<>(g.initializers());
    this.names = FreshNames.of(g);
  }

  /** The QDQ form of {@code g}; {@code params} holds the parameters of every observed value. */
  static Written write(Graph g, OpTable table, QdqLayout layout, Map<String, ActivationParams> params) {
    QdqGraph w = new QdqGraph(g, table, layout, params);
    Graph out = w.build();
    return new Written(out, List.copyOf(w.quantizeNodes), List.copyOf(w.dequantizeNodes), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(w.integers)));
  }

  private Graph build() {
    Set<String> quantized = layout.quantized();
    Set<String> layers = new HashSet<>();
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
          in.set(i, dequantize(in.get(i)));
        }
      }
      if (layers.contains(n.name()) && !layout.floatLayers().contains(n.name())) {
        quantizeWeights(n, in);
      }
      List<String> out = new ArrayList<>(n.outputs());
      String y = n.output(0);
      boolean quantizedOutput = quantized.contains(y);
      if (quantizedOutput && g.isGraphOutput(y)) {
        out.set(0, names.next("f"));
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
   * its input's integers and writes integers of its own with its input's parameters, its fill the
   * zero point (the integer of 0).
   */
  private void onIntegers(Node n) {
    String y = n.output(0);
    String src = layout.source(y);
    String[] sz = scaleAndZero(src);
    List<String> in = new ArrayList<>(n.inputs());
    in.set(0, integers.get(n.input(0)));
    if (n.stringAttr("mode", "constant").equals("constant")) {
      while (in.size() < 3) {
        in.add("");
      }
      in.set(2, sz[1]);
    }
    String q = integersOf(y);
    nodes.add(new Node(n.name(), n.opType(), in, List.of(q), n.attributes()));
    dequantizeOutput(y, sz);
  }

  /** QuantizeLinear of value {@code v} (computed as {@code from}) into its integers. */
  private void quantize(String v, String from) {
    String[] sz = scaleAndZero(layout.source(v));
    String name = names.next("Q");
    quantizeNodes.add(name);
    nodes.add(new Node(name, "QuantizeLinear", List.of(from, sz[0], sz[1]), List.of(integersOf(v))));
    dequantizeOutput(v, sz);
  }

  private String integersOf(String v) {
    String q = names.next("q");
    integers.put(v, q);
    return q;
  }

  /** The Dequantize that writes {@code v} when it is a graph output. */
  private void dequantizeOutput(String v, String[] sz) {
    if (g.isGraphOutput(v)) {
      dequantizeInto(v, sz, v);
    }
  }

  /** A DequantizeLinear of quantized value {@code v} for one consumer; its output's name. */
  private String dequantize(String v) {
    return dequantizeInto(v, scaleAndZero(layout.source(v)), names.next("d"));
  }

  private String dequantizeInto(String v, String[] sz, String out) {
    String name = names.next("D");
    dequantizeNodes.add(name);
    nodes.add(new Node(name, "DequantizeLinear", List.of(integers.get(v), sz[0], sz[1]), List.of(out)));
    return out;
  }

  /** The scale and zero point initializers of observed value {@code src}, added at its first use. */
  private String[] scaleAndZero(String src) {
    return scaleAndZero.computeIfAbsent(src, s -> {
      ActivationParams p = params.get(s);
      String scale = names.next("s");
      String zero = names.next("z");
      inits.put(scale, Tensor.of(new float[] {p.scale()}));
      inits.put(zero, LinearQuantization.integers(new float[] {p.zeroPoint()}, p.type(), new int[0]));
      return new String[] {scale, zero};
    });
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
    int channels = q.scales().length;
    inits.remove(n.input(1));
    Tensor zero = table.op(n).integerWeightNeedsZeroPoint() ? Tensor.ofBytes(DType.INT8, new byte[channels], channels) : null;
    in.set(1, perChannel(names.next("w"), q.values(), Tensor.of(q.scales(), channels), zero, axis));
    if (n.hasInput(2)) {
      String bName = n.input(2);
      Tensor b = g.initializer(bName);
      if (b == null || b.size() != channels || g.consumers(bName).size() != 1) {
        throw new CondenseException("INT8: node " + n.label() + ": its bias '" + bName + "' is not a constant of its own with "
            + channels + " values");
      }
      float sx = params.get(layout.source(n.input(0))).scale();
      inits.remove(bName);
      in.set(2, perChannel(names.next("b"), q.bias(b.reshape(channels), sx), Tensor.of(q.biasScales(sx), channels), null, 0));
    }
  }

  /**
   * A per-channel DequantizeLinear of constant {@code values}, with {@code zero} as its zero point
   * or none (null: 0); its output's name.
   */
  private String perChannel(String integerName, Tensor values, Tensor scale, Tensor zero, int axis) {
    List<String> in = new ArrayList<>(List.of(integerName, names.next("s")));
    inits.put(integerName, values);
    inits.put(in.get(1), scale);
    if (zero != null) {
      in.add(names.next("z"));
      inits.put(in.get(2), zero);
    }
    String name = names.next("D");
    String out = names.next("d");
    dequantizeNodes.add(name);
    Map<String, Attribute> attrs = new LinkedHashMap<>();
    attrs.put("axis", new Attribute.IntAttr(axis));
    nodes.add(new Node(name, "DequantizeLinear", in, List.of(out), attrs));
    return out;
  }
}
