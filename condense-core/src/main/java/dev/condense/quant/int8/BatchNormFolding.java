package dev.condense.quant.int8;

import dev.condense.CondenseException;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference BatchNormalization folded into the Conv or Gemm before it: with {@code k = γ / √(σ² +
 * ε)} per output channel, the layer's weight becomes {@code W·k} and its bias {@code (b − μ)·k + β}
 * (ONNX BatchNormalization-15 in inference mode), so the INT8 model quantizes the weights that run
 * and has no float normalisation left. A BatchNormalization after anything else is refused.
 */
public final class BatchNormFolding {
  private BatchNormFolding() {}

  /** {@code model} with every BatchNormalization folded into the layer that feeds it. */
  public static Model fold(Model model, OpTable table) {
    Graph g = model.graph();
    Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
    Map<String, String> renamed = new LinkedHashMap<>(); // BN output -> layer output
    Map<String, Node> layers = new LinkedHashMap<>();
    List<Node> kept = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (table.kind(n) != Kind.NORMALIZATION) {
        kept.add(n);
        continue;
      }
      Node layer = g.producer(n.input(0));
      if (layer == null || !table.is(layer, Kind.CONVOLUTION) && !table.is(layer, Kind.FULLY_CONNECTED)
          || g.consumers(n.input(0)).size() != 1 || g.isGraphOutput(n.input(0))) {
        throw new CondenseException("INT8: node " + n.label() + " does not follow a Conv or Gemm whose only use it is; "
            + "it cannot be folded, and ONNX Runtime has no integer BatchNormalization");
      }
      Node folded = foldInto(layers.getOrDefault(layer.name(), layer), n, inits, g);
      layers.put(layer.name(), folded);
      renamed.put(n.output(0), layer.output(0));
    }
    List<Node> nodes = new ArrayList<>();
    for (Node n : kept) {
      Node m = layers.getOrDefault(n.name(), n);
      if (layers.containsKey(n.name())) {
        String bnOut = null;
        for (Map.Entry<String, String> e : renamed.entrySet()) {
          if (e.getValue().equals(n.output(0))) {
            bnOut = e.getKey();
          }
        }
        m = new Node(m.name(), m.opType(), m.inputs(), List.of(bnOut), m.attributes());
      }
      nodes.add(m);
    }
    Graph out = g.withNodes(nodes).withInitializers(unused(inits, nodes, g));
    return model.withGraph(out).withoutAnnotations();
  }

  /** {@code layer} with {@code bn}'s scale and shift folded into its weight and bias (new initializers). */
  private static Node foldInto(Node layer, Node bn, Map<String, Tensor> inits, Graph g) {
    Tensor w = inits.get(layer.input(1));
    Tensor[] p = new Tensor[4];
    for (int i = 0; i < 4; i++) {
      p[i] = inits.get(bn.input(i + 1));
      if (p[i] == null) {
        throw new CondenseException("INT8: node " + bn.label() + ": input '" + bn.input(i + 1) + "' is not a constant");
      }
    }
    if (w == null || g.consumers(layer.input(1)).size() != 1) {
      throw new CondenseException("INT8: node " + layer.label() + ": its weight is not a constant of its own, "
          + "so " + bn.label() + " cannot be folded into it");
    }
    int[] s = w.shape();
    int axis = WeightAxis.of(layer, s.length);
    int channels = s[axis];
    if (p[0].size() != channels) {
      throw new CondenseException("INT8: node " + bn.label() + " has " + p[0].size() + " channels, "
          + layer.label() + " " + channels);
    }
    double eps = bn.floatAttr("epsilon", 1e-5f);
    float[] gamma = p[0].toFloats();
    float[] beta = p[1].toFloats();
    float[] mean = p[2].toFloats();
    float[] var = p[3].toFloats();
    double[] k = new double[channels];
    for (int c = 0; c < channels; c++) {
      k[c] = gamma[c] / Math.sqrt(var[c] + eps);
    }
    int inner = 1;
    for (int d = axis + 1; d < s.length; d++) {
      inner *= s[d];
    }
    float[] wf = w.toFloats();
    for (int i = 0; i < wf.length; i++) {
      wf[i] = (float) (wf[i] * k[(i / inner) % channels]);
    }
    Tensor b = layer.hasInput(2) ? inits.get(layer.input(2)) : null;
    float[] bias = b == null ? new float[channels] : b.toFloats();
    for (int c = 0; c < channels; c++) {
      bias[c] = (float) ((bias[c] - mean[c]) * k[c] + beta[c]);
    }
    String wName = layer.input(1) + "_bn_folded";
    String bName = (layer.hasInput(2) ? layer.input(2) : layer.name() + ".bias") + "_bn_folded";
    inits.put(wName, Tensor.of(wf, s));
    inits.put(bName, Tensor.of(bias, channels));
    List<String> in = new ArrayList<>(List.of(layer.input(0), wName, bName));
    return new Node(layer.name(), layer.opType(), in, layer.outputs(), layer.attributes());
  }

  /** The initializers still read by a node or declared as graph inputs. */
  private static Map<String, Tensor> unused(Map<String, Tensor> inits, List<Node> nodes, Graph g) {
    java.util.Set<String> used = new java.util.HashSet<>();
    nodes.forEach(n -> used.addAll(n.inputs()));
    g.inputs().forEach(v -> used.add(v.name()));
    Map<String, Tensor> r = new LinkedHashMap<>();
    inits.forEach((name, t) -> {
      if (used.contains(name)) {
        r.put(name, t);
      }
    });
    return r;
  }
}
