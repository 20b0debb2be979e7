package dev.condense.quant.int8;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.ops.IntegerForm;
import dev.condense.ops.Op;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a model's QDQ form quantizes, decided from each op's {@link IntegerForm} so that ONNX
 * Runtime fuses every op: the data input and every output of a layer or re-quantizing op are
 * observed (after the Relu that follows, when the Relu is its only use: the runtime then removes
 * the Relu), outputs of same-scale ops reuse their input's parameters, and an op without an
 * integer kernel on the data path is refused, naming the node, rather than left slower in float.
 * Layers asked to stay float read a Dequantize and their output is quantized again, so that the
 * layers around them still fuse.
 *
 * @param observed the values calibration observes, in graph order
 * @param sameAs each same-scale output and the observed value whose parameters it takes
 * @param layers the layer nodes (float ones included), whose weights become int8 and biases int32
 * @param floatLayers the names of the layers that keep float weights and compute in float
 * @param onIntegers the names of the {@link IntegerForm#ON_INTEGERS} nodes, written on the integers
 */
record QdqLayout(List<String> observed, Map<String, String> sameAs, List<Node> layers, Set<String> floatLayers,
    Set<String> onIntegers, Set<String> floats) {

  /** Every quantized value: observed ones and those that share their parameters, less those left float. */
  Set<String> quantized() {
    Set<String> r = new LinkedHashSet<>(observed);
    r.addAll(sameAs.keySet());
    r.removeAll(floats);
    return r;
  }

  /** The observed value whose parameters {@code v} is quantized with. */
  String source(String v) {
    return sameAs.getOrDefault(v, v);
  }

  /** Whether {@code n} is a layer whose weights become integers. */
  boolean integerLayer(Node n) {
    return !floatLayers.contains(n.name()) && layers.stream().anyMatch(l -> l.name().equals(n.name()));
  }

  /**
   * The layout that quantizes {@code layer} alone, the rest float: its data input, its weights and
   * its output (after the Relu it absorbs), with the parameters this layout gives them.
   */
  QdqLayout only(Node layer, Graph g) {
    String in = layer.input(0);
    String out = layer.output(0);
    if (!quantized().contains(out)) {
      out = g.consumers(out).get(0).output(0); // the absorbed Relu's
    }
    List<String> obs = new ArrayList<>();
    Map<String, String> same = new LinkedHashMap<>();
    for (String v : List.of(in, out)) {
      if (sameAs.containsKey(v)) {
        same.put(v, sameAs.get(v));
      } else {
        obs.add(v);
      }
    }
    return new QdqLayout(obs, same, List.of(layer), Set.of(), Set.of(), Set.of());
  }

  static QdqLayout of(Graph g, OpTable table) {
    return of(g, table, Set.of());
  }

  /**
   * The layout of {@code g} with the layers named in {@code floatLayers} left float. What a float
   * layer computes stays float through the ops after it (they compute in float too) until an
   * integer layer reads it: that value is quantized again, with the parameters the all-integer
   * layout gives it (calibration observes the same values whichever layers stay float).
   */
  static QdqLayout of(Graph g, OpTable table, Set<String> floatLayers) {
    List<String> observed = new ArrayList<>();
    Map<String, String> sameAs = new LinkedHashMap<>();
    List<Node> layers = new ArrayList<>();
    Set<String> quantized = new LinkedHashSet<>();
    Set<String> beforeRelu = new LinkedHashSet<>();
    Set<String> onIntegers = new LinkedHashSet<>();
    Set<String> floats = new LinkedHashSet<>();
    for (ValueInfo vi : g.inputs()) {
      if (!g.isInitializer(vi.name()) && vi.dtype() == DType.FLOAT) {
        observed.add(vi.name());
        quantized.add(vi.name());
      }
    }
    for (Node n : g.nodes()) {
      Op op = table.op(n);
      List<Integer> data = dataSlots(n, op, g);
      if (data.isEmpty()) {
        continue; // shape code and constants: folded, never on the data path
      }
      IntegerForm form = op.integerForm();
      String out = n.output(0);
      List<Integer> read = form == IntegerForm.LAYER ? data.subList(0, 1) : data;
      boolean floatIn = read.stream().anyMatch(i -> floats.contains(n.input(i)));
      if (form == IntegerForm.LAYER && !floatLayers.contains(n.name())) {
        floats.remove(n.input(0)); // an integer layer reads it: quantized again
      } else if (floatIn || floatLayers.contains(n.name())) {
        floats.add(out);
      }
      switch (form) {
        case LAYER, REQUANTIZED -> {
          requireQuantized(n, data.subList(0, form == IntegerForm.LAYER ? 1 : data.size()), quantized, beforeRelu);
          if (form == IntegerForm.LAYER) {
            layers.add(n);
          }
          if (feedsOnlyRelu(g, table, out)) {
            beforeRelu.add(out);
          } else {
            observed.add(out);
            quantized.add(out);
          }
        }
        case SAME_SCALE, ON_INTEGERS -> {
          requireQuantized(n, data.subList(0, 1), quantized, beforeRelu);
          if (form == IntegerForm.ON_INTEGERS && !floatIn) {
            requireZeroFill(n, g);
            onIntegers.add(n.name());
          }
          sameAs.put(out, sameAs.getOrDefault(n.input(0), n.input(0)));
          quantized.add(out);
        }
        case ABSORBED -> {
          observed.add(out);
          quantized.add(out);
        }
        case NONE -> throw new CondenseException("INT8: node " + n.label() + ": ONNX Runtime has no integer kernel for "
            + n.opType() + ", so the quantized model would run it in float between a Dequantize and a Quantize");
      }
    }
    Set<String> unknown = new LinkedHashSet<>(floatLayers);
    layers.forEach(n -> unknown.remove(n.name()));
    if (!unknown.isEmpty()) {
      throw new CondenseException("INT8: no layer (Conv, Gemm, MatMul) is named " + String.join(", ", unknown)
          + "; the layers are " + String.join(", ", layers.stream().map(Node::name).toList()));
    }
    return new QdqLayout(observed, sameAs, layers, Set.copyOf(floatLayers), onIntegers, floats);
  }

  /**
   * A node run on the integers fills, if at all, with 0 (constant mode), which becomes the zero
   * point (ONNX Pad-13: the fill is its optional third input, 0 when absent).
   */
  private static void requireZeroFill(Node n, Graph g) {
    if (!n.stringAttr("mode", "constant").equals("constant") || !n.hasInput(2)) {
      return;
    }
    Tensor fill = g.initializer(n.input(2));
    if (fill == null || fill.size() != 1 || fill.toFloats()[0] != 0f) {
      throw new CondenseException("INT8: node " + n.label() + ": only a constant fill of 0 (the zero point on the "
          + "integers) is quantized, not '" + n.input(2) + "'");
    }
  }

  /** The input slots of {@code n} that carry run-time float data (not weights, biases, shapes or scales). */
  private static List<Integer> dataSlots(Node n, Op op, Graph g) {
    List<Integer> r = new ArrayList<>();
    for (int i = 0; i < n.inputs().size(); i++) {
      String v = n.input(i);
      if (!v.isEmpty() && op.isFloatSlot(i) && !g.isInitializer(v) && !producedByConstant(g, v)) {
        r.add(i);
      }
    }
    return r;
  }

  private static boolean producedByConstant(Graph g, String v) {
    Node p = g.producer(v);
    return p != null && p.inputs().stream().allMatch(x -> x.isEmpty() || g.isInitializer(x) || producedByConstant(g, x));
  }

  private static void requireQuantized(Node n, List<Integer> slots, Set<String> quantized, Set<String> beforeRelu) {
    for (int slot : slots) {
      String v = n.input(slot);
      if (!quantized.contains(v)) {
        throw new CondenseException("INT8: node " + n.label() + ": its input '" + v + "' is not quantized"
            + (beforeRelu.contains(v) ? " (it is also read before the Relu that follows its layer)" : ""));
      }
    }
  }

  /** Whether {@code v}'s only use is a Relu the runtime removes (and {@code v} is no graph output). */
  private static boolean feedsOnlyRelu(Graph g, OpTable table, String v) {
    List<Node> uses = g.consumers(v);
    return !g.isGraphOutput(v) && uses.size() == 1 && table.op(uses.get(0)).integerForm() == IntegerForm.ABSORBED;
  }
}
