package dev.condense.ops;

import dev.condense.graph.Attribute;
import dev.condense.graph.Axis;
import dev.condense.graph.DType;
import dev.condense.graph.FreshNames;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the layers of a QDQ graph into integer ones, as ONNX Runtime's QDQ transformer does:
 * each group {@code DequantizeLinear(x) → Conv(DequantizeLinear(int8 w), DequantizeLinear(int32 b))
 * [→ Relu] → QuantizeLinear} becomes one QLinearConv; a Gemm becomes a 1×1 QLinearConv between two
 * Reshapes ({@code [N, K] → [N, K, 1, 1]}, its weight as {@code [M, K, 1, 1]}), the same sums. A
 * Relu is absorbed only when the Quantize's zero point is its type's lowest value (then the
 * saturation is the Relu, ONNX Runtime's ReluQuantFusion). A group is fused only when its bias
 * scale is {@code x_scale · w_scale} (QLinearConv's requirement) and no value inside it has another
 * use; anything else is left as it is and runs as the float simulation. The weight's and the bias's
 * Dequantize may leave out their zero point (optional in DequantizeLinear, 0 by default): the
 * QLinearConv, whose {@code w_zero_point} is required, then gets zeros of the weight's type.
 *
 * @param graph the rewritten graph
 * @param fused the names of the layers that became QLinearConv
 */
public record QdqFusion(Graph graph, List<String> fused) {

  /** The graph with every fusable Conv and Gemm group replaced by QLinearConv. */
  public static QdqFusion of(Graph g) {
    Map<String, Node> producer = new HashMap<>();
    Map<String, List<Node>> consumers = new HashMap<>();
    for (Node n : g.nodes()) {
      n.outputs().forEach(o -> producer.put(o, n));
      n.inputs().forEach(i -> consumers.computeIfAbsent(i, v -> new ArrayList<>()).add(n));
    }
    Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
    Map<Node, List<Node>> replaced = new HashMap<>();
    Set<Node> removed = new HashSet<>();
    List<String> fused = new ArrayList<>();
    FreshNames names = FreshNames.of(g);
    for (Node layer : g.nodes()) {
      Group grp = Group.match(g, layer, producer, consumers);
      if (grp != null) {
        replaced.put(layer, grp.rewrite(inits, names));
        removed.addAll(grp.members());
        fused.add(layer.name());
      }
    }
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (replaced.containsKey(n)) {
        nodes.addAll(replaced.get(n));
      } else if (!removed.contains(n)) {
        nodes.add(n);
      }
    }
    Set<String> used = new HashSet<>();
    nodes.forEach(n -> used.addAll(n.inputs()));
    g.outputs().forEach(v -> used.add(v.name()));
    inits.keySet().removeIf(name -> !used.contains(name));
    return new QdqFusion(new Graph(g.name(), nodes, inits, g.inputs(), g.outputs(), List.of()), List.copyOf(fused));
  }

  /** One QDQ layer group: the Dequantizes of data, weight and bias, the layer, an absorbed Relu, the Quantize. */
  private record Group(Graph g, Node dx, Node dw, Node db, Node layer, Node relu, Node q) {

    static Group match(Graph g, Node layer, Map<String, Node> producer, Map<String, List<Node>> consumers) {
      Op op = op(layer);
      boolean gemm = op instanceof Gemm;
      if (!(op instanceof Conv) && !gemm) {
        return null;
      }
      if (gemm && (layer.intAttr("transA", 0) != 0 || layer.floatAttr("alpha", 1f) != 1f || layer.floatAttr("beta", 1f) != 1f)) {
        return null;
      }
      Node dx = dequantizeOnlyFor(layer, 0, producer, consumers, g, false);
      Node dw = dequantizeOnlyFor(layer, 1, producer, consumers, g, true);
      Node db = layer.hasInput(2) ? dequantizeOnlyFor(layer, 2, producer, consumers, g, true) : null;
      if (dx == null || dw == null || layer.hasInput(2) && db == null) {
        return null;
      }
      Tensor w = g.initializer(dw.input(0));
      int axis = gemm && layer.intAttr("transB", 0) == 0 ? 1 : 0;
      if (w.dtype() != DType.INT8 && w.dtype() != DType.UINT8 || !perChannelOn(g, dw, w, axis)) {
        return null;
      }
      if (db != null && (g.initializer(db.input(0)).dtype() != DType.INT32 || !biasScaleFits(g, dx, dw, db))) {
        return null;
      }
      if (scalar(g, dx, 1) == null || zeroPoint(g, dx) == null) {
        return null;
      }
      Node next = onlyConsumer(layer.output(0), consumers, g);
      Node relu = null;
      if (next != null && op(next) != null && op(next).integerForm() == IntegerForm.ABSORBED) {
        relu = next;
        next = onlyConsumer(relu.output(0), consumers, g);
      }
      if (!(next != null && op(next) == QuantizeLinear.QUANTIZE)
          || scalar(g, next, 1) == null || zeroPoint(g, next) == null) {
        return null;
      }
      Tensor yz = zeroPoint(g, next);
      if (relu != null && yz.toLongs()[0] != LinearQuantization.min(yz.dtype())) {
        return null;
      }
      if (relu != null && relu.opType().equals("Clip") && !clipHolds(g, relu, scalar(g, next, 1), yz)) {
        return null; // the integer kernel saturates at the Quantize's range: only a Clip that holds it may go
      }
      return new Group(g, dx, dw, db, layer, relu, next);
    }

    List<Node> members() {
      List<Node> r = new ArrayList<>(List.of(dx, dw, layer, q));
      if (db != null) {
        r.add(db);
      }
      if (relu != null) {
        r.add(relu);
      }
      return r;
    }

    /** The QLinearConv (and, for a Gemm, its Reshapes); a Gemm's weight initializer becomes [M, K, 1, 1]. */
    List<Node> rewrite(Map<String, Tensor> inits, FreshNames names) {
      String wName = dw.input(0);
      List<String> in = new ArrayList<>(List.of(dx.input(0), dx.input(1), dx.input(2), wName, dw.input(1),
          weightZeroPoint(inits, names), q.input(1), q.input(2)));
      if (db != null) {
        in.add(db.input(0));
      }
      String y = q.output(0);
      if (!(op(layer) instanceof Gemm)) {
        return List.of(new Node(layer.name(), "QLinearConv", in, List.of(y), layer.attributes()));
      }
      Tensor w = inits.get(wName);
      if (layer.intAttr("transB", 0) == 0) {
        w = transposed(w);
      }
      int m = w.dim(0);
      int k = w.dim(1);
      inits.put(wName, w.reshape(m, k, 1, 1));
      String base = layer.name();
      inits.put(base + "/to_conv_shape", Tensor.ofLongs(new long[] {-1, k, 1, 1}, 4));
      inits.put(base + "/to_gemm_shape", Tensor.ofLongs(new long[] {-1, m}, 2));
      String x4 = base + "/input_nchw";
      String y4 = base + "/output_nchw";
      in.set(0, x4);
      return List.of(
          new Node(base + "/to_conv", "Reshape", List.of(dx.input(0), base + "/to_conv_shape"), List.of(x4)),
          new Node(base, "QLinearConv", in, List.of(y4), Map.<String, Attribute>of()),
          new Node(base + "/to_gemm", "Reshape", List.of(y4, base + "/to_gemm_shape"), List.of(y)));
    }

    /** The weight's zero point: its Dequantize's, or zeros of its type, one per scale (QLinearConv requires it). */
    private String weightZeroPoint(Map<String, Tensor> inits, FreshNames names) {
      if (dw.hasInput(2)) {
        return dw.input(2);
      }
      Tensor scale = g.initializer(dw.input(1));
      String name = names.fresh(dw.input(0) + "/zero_point");
      inits.put(name, Tensor.ofBytes(g.initializer(dw.input(0)).dtype(), new byte[scale.size()], scale.shape()));
      return name;
    }

    private static Tensor transposed(Tensor w) {
      int rows = w.dim(0);
      int cols = w.dim(1);
      long[] v = w.toLongs();
      byte[] t = new byte[v.length];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          t[c * rows + r] = (byte) v[r * cols + c];
        }
      }
      return Tensor.ofBytes(w.dtype(), t, cols, rows);
    }

    /** The DequantizeLinear feeding input {@code slot} of {@code user}, when {@code user} is its only reader. */
    private static Node dequantizeOnlyFor(Node user, int slot, Map<String, Node> producer,
        Map<String, List<Node>> consumers, Graph g, boolean constant) {
      Node d = producer.get(user.input(slot));
      if (d == null || op(d) != QuantizeLinear.DEQUANTIZE || onlyConsumer(d.output(0), consumers, g) != user) {
        return null;
      }
      boolean zero = d.hasInput(2);
      if (constant != (g.initializer(d.input(0)) != null) || g.initializer(d.input(1)) == null
          || !zero && !constant || zero && g.initializer(d.input(2)) == null) {
        return null; // an activation's zero point gives its type; a constant's type is its own
      }
      if (constant && consumers.get(d.input(0)).size() != 1) {
        return null;
      }
      return d;
    }

    private static Op op(Node n) {
      return OpTable.standard().find(n.opType());
    }

    private static Node onlyConsumer(String value, Map<String, List<Node>> consumers, Graph g) {
      List<Node> c = consumers.getOrDefault(value, List.of());
      return c.size() == 1 && !g.isGraphOutput(value) ? c.get(0) : null;
    }

    private static Float scalar(Graph g, Node n, int slot) {
      Tensor t = g.initializer(n.input(slot));
      return t != null && t.size() == 1 && t.dtype() == DType.FLOAT ? t.toFloats()[0] : null;
    }

    /** Whether the Clip's [min, max] holds the Quantize's representable range (ClipQuantFusion's rule). */
    private static boolean clipHolds(Graph g, Node clip, float scale, Tensor zero) {
      long z = zero.toLongs()[0];
      double lo = scale * (LinearQuantization.min(zero.dtype()) - z);
      double hi = scale * (LinearQuantization.max(zero.dtype()) - z);
      Float min = clip.hasInput(1) ? scalar(g, clip, 1) : Float.valueOf(Float.NEGATIVE_INFINITY);
      Float max = clip.hasInput(2) ? scalar(g, clip, 2) : Float.valueOf(Float.POSITIVE_INFINITY);
      double slack = 1e-3 * scale; // scale = max / 255 in float: 255 · scale may pass max by a rounding
      return min != null && max != null && min <= lo + slack && hi <= max + slack;
    }

    private static Tensor zeroPoint(Graph g, Node n) {
      Tensor t = n.inputs().size() > 2 ? g.initializer(n.input(2)) : null;
      return t != null && t.size() == 1 && (t.dtype() == DType.UINT8 || t.dtype() == DType.INT8) ? t : null;
    }

    /** Whether the weight's Dequantize is per tensor or per slice of {@code axis}, the output channel. */
    private static boolean perChannelOn(Graph g, Node dw, Tensor w, int axis) {
      Tensor s = g.initializer(dw.input(1));
      if (s.size() == 1) {
        return true;
      }
      return s.rank() == 1 && Axis.of(dw, dw.intAttr("axis", 1), w.rank()) == axis && s.size() == w.dim(axis);
    }

    /** Whether the bias's scale is {@code x_scale · w_scale[c]} in float32 and its zero point 0, as QLinearConv requires. */
    private static boolean biasScaleFits(Graph g, Node dx, Node dw, Node db) {
      float xs = g.initializer(dx.input(1)).toFloats()[0];
      float[] ws = g.initializer(dw.input(1)).toFloats();
      float[] bs = g.initializer(db.input(1)).toFloats();
      long[] bz = db.hasInput(2) ? g.initializer(db.input(2)).toLongs() : new long[bs.length];
      for (int c = 0; c < bs.length; c++) {
        if (bz[c] != 0 || Math.abs(bs[c] - xs * ws[ws.length == 1 ? 0 : c]) > 1e-6f * bs[c]) {
          return false;
        }
      }
      return true;
    }
  }
}
