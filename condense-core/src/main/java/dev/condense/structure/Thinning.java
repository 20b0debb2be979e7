package dev.condense.structure;

import dev.condense.CondenseException;
import dev.condense.graph.Annotations;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.WeightAnnotation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Removes channels for real: every slice of every chosen channel is cut out of its tensor, so
 * the result is a smaller, valid, dense ONNX model (not a mask). All removals of one call are
 * applied together, with the slice positions of the model the groups were found in, so groups
 * sharing a Concat or a tensor stay consistent. A cut weight's annotations (mask, codebook) are
 * cut with the same slices, so they keep describing it.
 */
public final class Thinning {
  private Thinning() {}

  /**
   * The model without the given channels. {@code remove} maps groups of
   * {@code ChannelGroups.of(model)} to the channel indices to drop.
   */
  public static Model apply(Model model, Map<ChannelGroup, int[]> remove) {
    Map<String, Map<Integer, BitSet>> cuts = new HashMap<>();
    Map<String, Map<Integer, Long>> reshapeShrink = new HashMap<>();
    java.util.Set<String> depthwise = new java.util.LinkedHashSet<>();
    Map<String, Map<Integer, long[]>> rewritten = new LinkedHashMap<>(); // node -> input -> its new value
    SharedTensors stored = SharedTensors.of(model);
    for (Map.Entry<ChannelGroup, int[]> e : remove.entrySet()) {
      ChannelGroup g = e.getKey();
      int[] channels = e.getValue();
      if (channels.length == 0) {
        continue;
      }
      if (!g.prunable()) {
        throw new CondenseException("channels of " + g.name() + " cannot be removed: the group " + g.pinned());
      }
      BitSet chosen = new BitSet();
      for (int c : channels) {
        if (c < 0 || c >= g.size()) {
          throw new CondenseException("channel " + c + " does not exist in " + g.name() + " (" + g.size() + " channels)");
        }
        chosen.set(c);
      }
      if (chosen.cardinality() >= g.size()) {
        throw new CondenseException("removing all " + g.size() + " channels of " + g.name() + " would cut the network");
      }
      requireWholeUnits(g, chosen);
      for (Slice s : g.slices()) {
        BitSet idx = cuts.computeIfAbsent(s.tensor(), k -> new TreeMap<>()).computeIfAbsent(s.axis(), k -> new BitSet());
        for (int j = chosen.nextSetBit(0); j >= 0; j = chosen.nextSetBit(j + 1)) {
          idx.set(s.start(j), s.start(j) + s.block());
        }
      }
      depthwise.addAll(g.depthwise());
      for (ShapeRewrite r : g.rewrites()) {
        long[] value = rewritten.computeIfAbsent(r.node(), k -> new TreeMap<>()).computeIfAbsent(r.input(), k -> r.spec());
        long[] per = r.perRemoved();
        for (int i = 0; i < value.length; i++) {
          value[i] -= per[i] * chosen.cardinality();
        }
      }
      for (ChannelGroup.ReshapeFix r : g.reshapes()) {
        reshapeShrink.computeIfAbsent(r.shapeTensor(), k -> new TreeMap<>())
            .merge(r.index(), (long) chosen.cardinality() * r.block(), Long::sum);
      }
    }
    Map<String, Integer> groupShrink = new HashMap<>();
    for (String dw : depthwise) {
      // One group of the Conv per weight-axis-1 width of channels (1 for a depthwise Conv); the
      // filters its channels lose, of every group at once (a channel after a shuffle owns several).
      String w = stored.root(model.graph().node(dw).input(1));
      BitSet filters = cuts.getOrDefault(w, Map.of()).get(0);
      if (filters != null) {
        groupShrink.put(dw, filters.cardinality() / stored.tensor(w).dim(1));
      }
    }
    Graph graph = model.graph();
    Map<String, Tensor> init = new LinkedHashMap<>(graph.initializers());
    Map<String, int[]> kept = new HashMap<>();
    for (Map.Entry<String, Map<Integer, BitSet>> e : cuts.entrySet()) {
      Tensor t = init.get(e.getKey());
      if (t == null) {
        throw new CondenseException("cannot slice '" + e.getKey() + "': it is not an initializer of the model");
      }
      int[] from = null;
      for (Map.Entry<Integer, BitSet> a : e.getValue().entrySet()) {
        checkFloat(t);
        int[] positions = keptPositions(t.shape(), a.getKey(), a.getValue());
        from = from == null ? positions : compose(from, positions);
        t = removeIndices(t, a.getKey(), a.getValue());
      }
      init.put(e.getKey(), t);
      kept.put(e.getKey(), from);
    }
    for (Map.Entry<String, Map<Integer, Long>> e : reshapeShrink.entrySet()) {
      long[] spec = init.get(e.getKey()).toLongs();
      e.getValue().forEach((index, shrink) -> {
        int i = index < 0 ? spec.length - 1 : index;
        if (spec[i] > 0) { // a Reshape's -1 (inferred) stays
          spec[i] -= shrink;
        }
      });
      init.put(e.getKey(), Tensor.ofLongs(spec, spec.length));
    }
    List<Node> nodes = new ArrayList<>();
    java.util.Set<String> replaced = new java.util.HashSet<>();
    for (Node n : graph.nodes()) {
      Integer shrink = groupShrink.get(n.name());
      Node m = shrink == null ? n : n.withAttribute("group", new Attribute.IntAttr(n.intAttr("group", 1) - shrink));
      nodes.add(rewrite(m, rewritten.getOrDefault(n.name(), Map.of()), init, graph.nodes(), replaced));
    }
    // The constants the rewrites replaced, where nothing else reads them (ONNX Runtime warns of unused initializers).
    replaced.removeIf(graph::isGraphOutput);
    replaced.forEach(init::remove);
    nodes.removeIf(n -> n.outputs().size() == 1 && replaced.contains(n.output(0))
        && dev.condense.ops.OpTable.standard().kind(n) == dev.condense.ops.Kind.CONSTANT);
    // Declared intermediate shapes are stale now; ONNX does not need them.
    Model thin = model.withGraph(graph.withInitializers(init).withNodes(nodes).withValueInfo(List.of()));
    return thin.withAnnotations(cut(model.annotations(), kept));
  }

  /**
   * Node {@code n} with the inputs in {@code values} replaced by new int64 initializers (named
   * after the node and the slot, added to {@code init}): a {@link ShapeRewrite}'s result.
   */
  private static Node rewrite(Node n, Map<Integer, long[]> values, Map<String, Tensor> init, List<Node> nodes,
      java.util.Set<String> replaced) {
    if (values.isEmpty()) {
      return n;
    }
    List<String> inputs = new ArrayList<>(n.inputs());
    values.forEach((slot, value) -> {
      if (slot < inputs.size() && readers(inputs.get(slot), nodes) == 1) {
        replaced.add(inputs.get(slot)); // the old bound or target, read by nothing else now
      }
      String name = n.name() + "/thinned_input_" + slot;
      for (int k = 1; init.containsKey(name); k++) {
        name = n.name() + "/thinned_input_" + slot + "_" + k;
      }
      init.put(name, Tensor.ofLongs(value, value.length));
      while (inputs.size() <= slot) {
        inputs.add("");
      }
      inputs.set(slot, name);
    });
    return n.withInputs(inputs);
  }

  private static long readers(String value, List<Node> nodes) {
    return nodes.stream().filter(n -> n.inputs().contains(value)).count();
  }

  /** A group with {@code unit} > 1 loses whole aligned blocks of channels (a grouped Conv's groups). */
  private static void requireWholeUnits(ChannelGroup g, BitSet chosen) {
    int u = g.unit();
    for (int k = 0; k < g.size(); k += u) {
      int n = chosen.get(k, k + u).cardinality();
      if (n != 0 && n != u) {
        throw new CondenseException("channels of " + g.name() + " go in whole groups of " + u
            + " (grouped Conv " + String.join(", ", g.depthwise()) + "): channels " + k + "-" + (k + u - 1)
            + " are removed only in part");
      }
    }
  }

  /** The annotations of the cut tensors, cut: each keeps the elements its tensor kept. */
  private static Annotations cut(Annotations a, Map<String, int[]> kept) {
    Map<String, WeightAnnotation.Mask> masks = new LinkedHashMap<>();
    a.masks().forEach((w, m) -> {
      if (kept.containsKey(w)) {
        masks.put(w, m.select(kept.get(w)));
      }
    });
    Map<String, WeightAnnotation.Codebook> books = new LinkedHashMap<>();
    a.codebooks().forEach((w, c) -> {
      if (kept.containsKey(w)) {
        books.put(w, c.select(kept.get(w)));
      }
    });
    return new Annotations(masks, books);
  }

  /** {@code outer[inner[i]]}: the original positions after a second cut. */
  private static int[] compose(int[] outer, int[] inner) {
    int[] r = new int[inner.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = outer[inner[i]];
    }
    return r;
  }

  private static void checkFloat(Tensor t) {
    if (t.dtype() != DType.FLOAT) {
      throw new CondenseException("cannot slice " + t + ": only float weights are thinned");
    }
  }

  /** The flat positions, in order, of the elements of a {@code shape} tensor not in {@code drop} along {@code axis}. */
  static int[] keptPositions(int[] shape, int axis, BitSet drop) {
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= shape[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    int n = shape[axis];
    int keep = n - drop.get(0, n).cardinality();
    int[] pos = new int[outer * keep * inner];
    int d = 0;
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < n; i++) {
        if (!drop.get(i)) {
          for (int j = 0; j < inner; j++) {
            pos[d++] = (o * n + i) * inner + j;
          }
        }
      }
    }
    return pos;
  }

  /** {@code t} without the indices set in {@code drop} along {@code axis}. */
  static Tensor removeIndices(Tensor t, int axis, BitSet drop) {
    checkFloat(t);
    int[] shape = t.shape();
    int[] pos = keptPositions(shape, axis, drop);
    float[] src = t.floats();
    float[] dst = new float[pos.length];
    for (int i = 0; i < dst.length; i++) {
      dst[i] = src[pos[i]];
    }
    shape[axis] -= drop.get(0, shape[axis]).cardinality();
    return Tensor.of(dst, shape);
  }
}
