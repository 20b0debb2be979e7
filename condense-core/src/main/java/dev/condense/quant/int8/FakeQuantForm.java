package dev.condense.quant.int8;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.FreshNames;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.LinearQuantization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable form of a QDQ model, for quantization-aware training: each int8 weight behind
 * its DequantizeLinear becomes a float weight fake-quantized in the forward pass
 * (QuantizeLinear → DequantizeLinear with the weight's own per-channel scales, so the layer sees
 * exactly the values the int8 file holds; the Quantize gets an int8 zero point of 0, which the
 * file's weight Dequantize leaves out), and each int32 bias a float bias; the activations keep
 * their calibrated Quantize/DequantizeLinear pairs. The engine's gradient through each pair is the
 * straight-through estimator ({@code ops.QuantizeLinear}). {@link #export} writes a trained form
 * back as the QDQ model it came from, the same nodes with the integers recomputed from the trained
 * float weights at the same scales — the layout ONNX Runtime fuses, untouched.
 *
 * @param qdq the QDQ model (the post-training result)
 * @param trainable the fake-quantized form the engine trains
 * @param weights the float weights of {@code trainable} (which the op table's rule alone would freeze, since they
 *     reach their layer through integer-typed values), each with the int8 initializer it replaces; a float weight
 *     is named after it ({@code w0/float}, another suffix where the graph has that name)
 * @param biases the float biases of {@code trainable}, each with the int32 initializer it replaces
 */
public record FakeQuantForm(Model qdq, Model trainable, Map<String, String> weights, Map<String, String> biases) {
  public FakeQuantForm {
    weights = Map.copyOf(weights);
    biases = Map.copyOf(biases);
  }

  /**
   * The trainable form of a post-training result's model: every DequantizeLinear it added of an int8 initializer (a weight)
   * gets a QuantizeLinear of a float weight in front of it, every DequantizeLinear of an int32
   * initializer (a bias) is replaced by the float bias it decodes to.
   */
  public static FakeQuantForm of(Int8Quantizer.Result ptq) {
    Model qdq = ptq.model();
    Graph g = qdq.graph();
    java.util.Set<String> dequantize = java.util.Set.copyOf(ptq.dequantizeNodes());
    FreshNames names = FreshNames.of(g);
    Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
    Map<String, String> weights = new LinkedHashMap<>();
    Map<String, String> biases = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      Tensor q = dequantize.contains(n.name()) ? g.initializer(n.input(0)) : null;
      if (q == null || (q.dtype() != DType.INT8 && q.dtype() != DType.INT32)) {
        nodes.add(n);
        continue;
      }
      if (g.consumers(n.input(0)).size() != 1) {
        throw new CondenseException("QAT: node " + n.label() + ": its integers '" + n.input(0)
            + "' are shared with another node");
      }
      float[] x = decode(n, q, g);
      inits.remove(n.input(0));
      if (q.dtype() == DType.INT8) {
        String w = names.fresh(n.input(0) + "/float");
        inits.put(w, Tensor.of(x, q.shape()));
        weights.put(w, n.input(0));
        List<String> in = new ArrayList<>(n.inputs());
        in.set(0, w);
        if (!n.hasInput(2)) { // the Quantize's output type is its zero point's: int8, 0 as the Dequantize's default
          Tensor scale = g.initializer(n.input(1));
          String zero = names.fresh(n.input(0) + "/zero_point");
          inits.put(zero, Tensor.ofBytes(DType.INT8, new byte[scale.size()], scale.shape()));
          in.add(zero);
        }
        nodes.add(new Node(names.fresh(n.input(0) + "/QuantizeLinear"), "QuantizeLinear", in, List.of(n.input(0)),
            n.attributes()));
        nodes.add(n);
      } else {
        inits.put(n.output(0), Tensor.of(x, q.shape()));
        biases.put(n.output(0), n.input(0));
      }
    }
    Model trainable = qdq.withGraph(new Graph(g.name(), nodes, inits, g.inputs(), g.outputs(), List.of()));
    return new FakeQuantForm(qdq, trainable, weights, biases);
  }

  /**
   * The QDQ model of a trained form ({@code trained}, e.g. a session's export of
   * {@link #trainable}): each weight quantized to int8 at its scales (ONNX QuantizeLinear-13:
   * rounding half to even, saturating, the values the fake quantization trained with), each bias
   * to int32 at its DequantizeLinear's scale {@code s_x · s_w}.
   */
  public Model export(Model trained) {
    Graph g = qdq.graph();
    Graph t = trained.graph();
    Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
    Map<String, String> floatOf = new LinkedHashMap<>();
    weights.forEach((f, integers) -> floatOf.put(integers, f));
    for (Node n : g.nodes()) {
      String integers = n.inputs().isEmpty() ? "" : n.input(0);
      if (floatOf.containsKey(integers)) {
        Tensor w = trainedTensor(t, floatOf.get(integers));
        Tensor zp = n.hasInput(2) ? g.initializer(n.input(2)) : null;
        LinearQuantization map = LinearQuantization.of(n, g.initializer(n.input(1)), zp, w.shape(), DType.INT8);
        float[] q = new float[w.size()];
        map.quantize(w.toFloats(), q);
        inits.put(integers, LinearQuantization.integers(q, DType.INT8, w.shape()));
      } else if (biases.containsValue(integers)) {
        Tensor b = trainedTensor(t, n.output(0));
        inits.put(integers, WeightQuantization.int32(b, perElement(n, g.initializer(n.input(1)), b.size())));
      }
    }
    return qdq.withGraph(g.withInitializers(inits));
  }

  private static Tensor trainedTensor(Graph t, String name) {
    Tensor w = t.initializer(name);
    if (w == null) {
      throw new CondenseException("QAT: the trained model has no tensor '" + name + "' of the fake-quantized form");
    }
    return w;
  }

  /** The float values a DequantizeLinear of constant integers {@code q} gives (long arithmetic, exact for int32). */
  private static float[] decode(Node n, Tensor q, Graph g) {
    Tensor zp = n.hasInput(2) ? g.initializer(n.input(2)) : null;
    LinearQuantization map = LinearQuantization.of(n, g.initializer(n.input(1)), zp, q.shape(), q.dtype());
    long[] v = q.toLongs();
    float[] y = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      int c = map.slice(i);
      y[i] = (float) (v[i] - map.zeroPoint()[c]) * map.scale()[c];
    }
    return y;
  }

  /** The scale of each element of a 1-D bias: its own (per axis) or the one scale (per tensor). */
  private static float[] perElement(Node n, Tensor scale, int size) {
    float[] s = scale.toFloats();
    if (s.length == size) {
      return s;
    }
    if (s.length != 1) {
      throw new CondenseException("QAT: node " + n.label() + ": " + s.length + " scales for a bias of " + size);
    }
    float[] r = new float[size];
    java.util.Arrays.fill(r, s[0]);
    return r;
  }
}
