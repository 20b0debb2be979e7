package dev.condense.quant.int4;

import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.RawData;
import dev.condense.graph.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes each 4-bit layer in one of two forms, the rest of the graph unchanged; a layer's output
 * keeps its name.
 *
 * <ul>
 *   <li>{@link #dequantizeMatMul}: ONNX DequantizeLinear-21 of the int4/uint4 weight [K, N]
 *       ({@code axis} 0, {@code block_size}; scale and zero point [⌈K/block⌉, N]) → MatMul →
 *       Add of the bias. Standard ONNX; the engine and ONNX Runtime run it (ONNX Runtime rewrites
 *       the pair into MatMulNBits itself where its fusion applies).
 *   <li>{@link #matMulNBits}: ONNX Runtime's {@code com.microsoft.MatMulNBits} (ContribOperators.md):
 *       B uint8 [N, ⌈K/block⌉, block/2], two codes per byte along K, low nibble first; scales
 *       [N·⌈K/block⌉]; zero points uint8 packed two per byte, ⌈blocks/2⌉ bytes per row (absent for
 *       the symmetric form, whose codes are stored +8, the op's default zero point 2^(bits−1));
 *       the bias its input 5.
 * </ul>
 */
final class Int4Graph {
  /** The domain of ONNX Runtime's contrib ops. */
  static final String CONTRIB = "com.microsoft";

  private Int4Graph() {}

  /** Writes one layer's nodes and initializers. */
  private interface LayerForm {
    void write(Int4Layer l, BlockWeights q, Map<String, Tensor> inits, List<Node> nodes);
  }

  /** {@code g} with each layer's node replaced by what {@code form} writes for it. */
  private static Graph rewrite(Graph g, Map<String, Int4Layer> layers, Map<String, BlockWeights> weights, LayerForm form) {
    Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      Int4Layer l = layers.get(n.name());
      if (l == null) {
        nodes.add(n);
        continue;
      }
      // the float weight leaves the graph unless another node reads it
      if (g.consumers(n.input(1)).size() == 1) {
        inits.remove(n.input(1));
      }
      if (l.bias() != null) {
        inits.put(n.input(2), l.bias().reshape(l.rows()));
      }
      form.write(l, weights.get(n.name()), inits, nodes);
    }
    return g.withNodes(nodes).withInitializers(inits);
  }

  /** The graph with every layer as DequantizeLinear → MatMul (→ Add). */
  static Graph dequantizeMatMul(Graph g, Map<String, Int4Layer> layers, Map<String, BlockWeights> weights) {
    return rewrite(g, layers, weights, Int4Graph::dequantizeMatMul);
  }

  private static void dequantizeMatMul(Int4Layer l, BlockWeights q, Map<String, Tensor> inits, List<Node> nodes) {
    Node n = l.node();
    String w = n.input(1);
    int nb = q.blocks();
    inits.put(w + "/int4", Tensor.ofBytes(q.type(), Int4Layer.transpose(q.codes(), l.rows(), l.cols()), l.cols(), l.rows()));
    inits.put(w + "/scale", Tensor.of(Int4Layer.transpose(q.scales(), l.rows(), nb), nb, l.rows()));
    List<String> dqIn = new ArrayList<>(List.of(w + "/int4", w + "/scale"));
    if (!q.symmetric()) {
      byte[] z = new byte[q.zeroPoints().length];
      for (int i = 0; i < z.length; i++) {
        z[i] = (byte) q.zeroPoints()[i];
      }
      inits.put(w + "/zero_point", Tensor.ofBytes(DType.UINT4, Int4Layer.transpose(z, l.rows(), nb), nb, l.rows()));
      dqIn.add(w + "/zero_point");
    }
    Map<String, Attribute> a = new LinkedHashMap<>();
    a.put("axis", new Attribute.IntAttr(0));
    a.put("block_size", new Attribute.IntAttr(q.block()));
    nodes.add(new Node(n.name() + "/dequantize", "DequantizeLinear", dqIn, List.of(w + "/dequantized"), a));
    String y = n.output(0);
    if (l.bias() == null) {
      nodes.add(new Node(n.name(), "MatMul", List.of(l.input(), w + "/dequantized"), List.of(y)));
    } else {
      nodes.add(new Node(n.name(), "MatMul", List.of(l.input(), w + "/dequantized"), List.of(y + "/matmul")));
      nodes.add(new Node(n.name() + "/bias", "Add", List.of(y + "/matmul", n.input(2)), List.of(y)));
    }
  }

  /** The graph with every layer as one MatMulNBits (its name the layer's); see the class comment. */
  static Graph matMulNBits(Graph g, Map<String, Int4Layer> layers, Map<String, BlockWeights> weights) {
    return rewrite(g, layers, weights, Int4Graph::matMulNBits);
  }

  private static void matMulNBits(Int4Layer l, BlockWeights q, Map<String, Tensor> inits, List<Node> nodes) {
    Node n = l.node();
    String w = n.input(1);
    int nb = q.blocks();
    int blob = q.block() / 2;
    byte[] b = new byte[l.rows() * nb * blob];
    for (int r = 0; r < l.rows(); r++) {
      for (int k = 0; k < l.cols(); k++) {
        int code = q.codes()[r * l.cols() + k] + (q.symmetric() ? 8 : 0);
        int byteIndex = (r * nb + k / q.block()) * blob + (k % q.block()) / 2;
        b[byteIndex] |= (byte) (code << (4 * (k % 2)));
      }
    }
    inits.put(w + "/q4", Tensor.ofBytes(DType.UINT8, b, l.rows(), nb, blob));
    inits.put(w + "/scales", Tensor.of(q.scales().clone(), l.rows() * nb));
    List<String> in = new ArrayList<>(List.of(l.input(), w + "/q4", w + "/scales"));
    if (!q.symmetric()) {
      int perRow = (nb + 1) / 2;
      byte[] z = new byte[l.rows() * perRow];
      for (int r = 0; r < l.rows(); r++) {
        byte[] row = new byte[nb];
        for (int k = 0; k < nb; k++) {
          row[k] = (byte) q.zeroPoints()[r * nb + k];
        }
        System.arraycopy(RawData.packNibbles(row), 0, z, r * perRow, perRow);
      }
      inits.put(w + "/zero_points", Tensor.ofBytes(DType.UINT8, z, l.rows() * perRow));
      in.add(w + "/zero_points");
    }
    if (l.bias() != null) {
      while (in.size() < 5) {
        in.add(""); // zero_points, g_idx: absent
      }
      in.add(n.input(2));
    }
    Map<String, Attribute> a = new LinkedHashMap<>();
    a.put("K", new Attribute.IntAttr(l.cols()));
    a.put("N", new Attribute.IntAttr(l.rows()));
    a.put("bits", new Attribute.IntAttr(4));
    a.put("block_size", new Attribute.IntAttr(q.block()));
    nodes.add(new Node(n.name(), "MatMulNBits", in, List.of(n.output(0)), a));
  }

  /** The names of the contrib nodes {@link #matMulNBits} wrote: the layers', the keys of {@code layers}. */
  static Set<String> contribNodes(Map<String, ?> layers) {
    return Set.copyOf(layers.keySet());
  }
}
