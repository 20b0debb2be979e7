package dev.condense.prune;

import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.structure.Slice;
import dev.condense.structure.Thinning;
import dev.condense.structure.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Han et al. 2015, §3.5: after pruning, neurons (and conv channels) left with no output
 * connections, or with no input connections, are removed physically. A unit without outputs
 * contributes nothing and simply goes. A unit without inputs outputs a constant, f(bias); where
 * that constant reaches a single next layer through scalar ops (activations, pools without
 * padding, Flatten), it is folded into that layer's bias before the unit goes, so the network
 * computes exactly what it did.
 */
public final class DeadNeurons {
  private DeadNeurons() {}

  /** The thinned model and how many units each layer lost. */
  public record Result(Model model, Map<String, Integer> removed) {}

  private static final OpTable OPS = OpTable.standard();

  public static Result remove(Model model) {
    Graph g = model.graph();
    Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
    Map<ChannelGroup, int[]> remove = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ChannelGroup group : ChannelGroups.of(model)) {
      if (!group.prunable()) {
        continue;
      }
      Chain chain = chain(g, group);
      List<Integer> dead = new ArrayList<>();
      for (int j = 0; j < group.size(); j++) {
        boolean noOutputs = allZero(g, group, j, Slice.Role.CONSUMER);
        boolean noInputs = !noOutputs && chain != null && allZeroWeights(g, group, j);
        if (noInputs) {
          fold(g, init, chain, group, j);
        }
        if (noOutputs || noInputs) {
          dead.add(j);
        }
      }
      if (group.unit() > 1) {
        // A grouped Conv's channels go in whole groups: only wholly dead ones.
        int[] whole = Units.whole(dead.stream().mapToInt(Integer::intValue).toArray(), group.unit());
        dead = new ArrayList<>(java.util.Arrays.stream(whole).boxed().toList());
      }
      if (dead.size() == group.size()) {
        dead.subList(dead.size() - group.unit(), dead.size()).clear(); // keep one unit: an empty layer would cut the network
      }
      if (!dead.isEmpty()) {
        remove.put(group, dead.stream().mapToInt(Integer::intValue).toArray());
        counts.put(group.name(), dead.size());
      }
    }
    if (remove.isEmpty()) {
      return new Result(model, counts);
    }
    Model folded = model.withGraph(g.withInitializers(init));
    return new Result(Thinning.apply(folded, remove), counts);
  }

  /** Whether every slice with {@code role} of channel j is zero. */
  private static boolean allZero(Graph g, ChannelGroup group, int j, Slice.Role role) {
    boolean any = false;
    for (Slice s : group.slices()) {
      if (s.role() == role) {
        any = true;
        if (!sliceIsZero(g.initializer(s.tensor()), s, j)) {
          return false;
        }
      }
    }
    return any;
  }

  /** Whether the producer's weights (not its bias) of channel j are all zero. */
  private static boolean allZeroWeights(Graph g, ChannelGroup group, int j) {
    for (Slice s : group.slices()) {
      Tensor t = g.initializer(s.tensor());
      if (s.role() == Slice.Role.PRODUCER && t.rank() >= 2 && !sliceIsZero(t, s, j)) {
        return false;
      }
    }
    return true;
  }

  static boolean sliceIsZero(Tensor t, Slice s, int j) {
    float[] d = t.floats();
    boolean[] zero = {true};
    s.forEachIndex(t.shape(), j, i -> zero[0] &= d[i] == 0f);
    return zero[0];
  }

  /** The single path producer → scalar ops → consumer a constant can be folded along. */
  private record Chain(Node producer, List<Node> ops, Node consumer) {}

  private static Chain chain(Graph g, ChannelGroup group) {
    if (group.producers().size() != 1 || group.consumers().size() != 1) {
      return null;
    }
    Node producer = g.node(group.producers().get(0));
    Node consumer = g.node(group.consumers().get(0));
    if (!consumer.hasInput(2) || g.initializer(consumer.input(2)) == null
        || !OPS.op(consumer).kind().isLayer()
        || (OPS.is(consumer, Kind.CONVOLUTION) && hasPadding(consumer))) {
      return null;
    }
    List<Node> ops = new ArrayList<>();
    String v = producer.output(0);
    while (true) {
      List<Node> readers = g.consumers(v);
      if (readers.size() != 1) {
        return null;
      }
      Node r = readers.get(0);
      if (r == consumer) {
        return new Chain(producer, ops, consumer);
      }
      // Only through ops a per-channel constant maps through (activations, pools, views).
      if (OPS.op(r).onConstant(r) == null || hasPadding(r)) {
        return null;
      }
      ops.add(r);
      v = r.output(0);
    }
  }

  private static boolean hasPadding(Node n) {
    long[] pads = n.intsAttr("pads", null);
    boolean padded = pads != null && java.util.Arrays.stream(pads).anyMatch(p -> p != 0);
    String auto = n.stringAttr("auto_pad", "NOTSET");
    return padded || auto.startsWith("SAME");
  }

  /** Adds the constant output of channel j, through the consumer's weights, to its bias. */
  private static void fold(Graph g, Map<String, Tensor> init, Chain chain, ChannelGroup group, int j) {
    Node p = chain.producer();
    double c = p.hasInput(2) ? init.get(p.input(2)).floats()[j] : 0;
    for (Node op : chain.ops()) {
      c = OPS.op(op).onConstant(op).applyAsDouble(c);
    }
    if (c == 0) {
      return;
    }
    Node cons = chain.consumer();
    Slice read = group.slices().stream().filter(s -> s.role() == Slice.Role.CONSUMER).findFirst().orElseThrow();
    Tensor w = init.get(read.tensor());
    Tensor b = init.get(cons.input(2));
    float[] bias = b.floatsCopy();
    int[] shape = w.shape();
    float[] d = w.floats();
    // The output unit of element i is the weight's other matrix axis: its row (axis 0) for
    // [out, in, ...] readers, its column when the reader is laid out [in, out] (Gemm, no transB).
    int outAxisStride = read.axis() != 0 ? (int) (Tensor.numel(shape) / shape[0]) : 1;
    int outs = read.axis() != 0 ? shape[0] : shape[1];
    double constant = c;
    read.forEachIndex(shape, j, i -> {
      int unit = read.axis() != 0 ? i / outAxisStride : i % outs;
      bias[unit] += (float) (constant * d[i]);
    });
    init.put(cons.input(2), Tensor.of(bias, b.shape()));
  }
}
