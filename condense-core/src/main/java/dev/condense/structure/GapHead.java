package dev.condense.structure;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.RandomTensor;
import dev.condense.graph.Tensor;
import dev.condense.ops.ChannelRule;
import dev.condense.ops.Kind;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Replaces a classifier's fully connected head by global average pooling and one linear layer —
 * ThiNet's "GAP" variant of VGG-16 (Luo et al. 2017, §4.2), where the head's fc6/fc7 hold most of
 * the parameters and this replacement gives the paper's 16.63× fewer. The head is everything
 * after the network's one Flatten: Gemm, BatchNormalization, Relu and Dropout nodes ending at the
 * graph output. The new layer maps the pooled channels to the old head's classes; its weights are
 * drawn at random (seeded, as PyTorch initialises a Linear layer), so the model must be fine-tuned
 * afterwards.
 */
public final class GapHead {
  /** What the replaced head may hold: fully connected layers, normalizations, activations, dropout. */
  private static final Set<Kind> HEAD_KINDS = Set.of(Kind.FULLY_CONNECTED, Kind.NORMALIZATION,
      Kind.ELEMENTWISE_UNARY, Kind.REGULARIZATION);
  private static final OpTable OPS = OpTable.standard();

  private GapHead() {}

  /** {@code m} with its fully connected head replaced; fails with the reason when it has no such head. */
  public static Model apply(Model m, long seed) {
    Graph g = m.graph();
    List<Node> flattens = g.nodes().stream()
        .filter(n -> OPS.op(n).channelRule() == ChannelRule.FLATTEN).toList();
    if (flattens.size() != 1) {
      throw new CondenseException("gap-head: the model needs exactly one Flatten before its classifier, found "
          + flattens.size());
    }
    Node flatten = flattens.get(0);
    if (g.nodes().stream().noneMatch(n -> OPS.is(n, Kind.CONVOLUTION))) {
      throw new CondenseException("gap-head: the model has no convolutions whose channels could be pooled");
    }
    if (g.outputs().size() != 1) {
      throw new CondenseException("gap-head: the model needs exactly one output, found " + g.outputs().size());
    }
    String output = g.outputs().get(0).name();
    Set<Node> head = head(g, flatten, output);
    Node last = g.producer(output);
    if (!OPS.is(last, Kind.FULLY_CONNECTED) || g.initializer(last.input(1)) == null) {
      throw new CondenseException("gap-head: the output is made by " + last.label()
          + ", not by a fully connected classifier");
    }
    Tensor w = g.initializer(last.input(1));
    int classes = last.intAttr("transB", 0) != 0 ? w.dim(0) : w.dim(1);
    int[] features = ShapeInference.infer(g, Map.of()).type(flatten.input(0)).shape();
    if (features.length != 4) {
      throw new CondenseException("gap-head: Flatten " + flatten.label() + " reads a rank-" + features.length
          + " value; global average pooling needs N×C×H×W");
    }
    int channels = features[1];

    Set<String> removed = new HashSet<>();
    for (Node n : head) {
      removed.addAll(n.outputs());
    }
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (!head.contains(n)) {
        nodes.add(n);
      }
    }
    String pool = unique(g, "gap_head.pool");
    String flat = unique(g, "gap_head.flatten");
    String fc = unique(g, "gap_head.fc");
    nodes.add(new Node(pool, "GlobalAveragePool", List.of(flatten.input(0)), List.of(pool)));
    nodes.add(new Node(flat, "Flatten", List.of(pool), List.of(flat), Map.of("axis", new Attribute.IntAttr(1))));
    nodes.add(new Node(fc, "Gemm", List.of(flat, fc + ".weight", fc + ".bias"), List.of(output),
        Map.of("transB", new Attribute.IntAttr(1))));

    Set<String> used = new HashSet<>();
    nodes.forEach(n -> used.addAll(n.inputs()));
    Map<String, Tensor> init = new LinkedHashMap<>();
    g.initializers().forEach((k, v) -> {
      if (used.contains(k)) {
        init.put(k, v);
      }
    });
    SplittableRandom random = new SplittableRandom(seed);
    float bound = (float) (1 / Math.sqrt(channels));
    init.put(fc + ".weight", RandomTensor.uniform(random, bound, classes, channels));
    init.put(fc + ".bias", RandomTensor.uniform(random, bound, classes));
    Graph out = g.withNodes(nodes).withInitializers(init)
        .withValueInfo(g.valueInfo().stream().filter(v -> !removed.contains(v.name()) || v.name().equals(output)).toList());
    return m.withGraph(out);
  }

  /** The nodes from {@code flatten} to the output; fails on anything but a fully connected head. */
  private static Set<Node> head(Graph g, Node flatten, String output) {
    Set<Node> head = new java.util.LinkedHashSet<>();
    head.add(flatten);
    Deque<String> todo = new ArrayDeque<>(flatten.outputs());
    while (!todo.isEmpty()) {
      for (Node n : g.consumers(todo.pop())) {
        Kind kind = OPS.kind(n);
        if (kind == null || !HEAD_KINDS.contains(kind)) {
          throw new CondenseException("gap-head: " + n.label() + " follows the Flatten; the head may hold"
              + " only fully connected layers, BatchNormalization, activations and Dropout");
        }
        if (head.add(n)) {
          todo.addAll(n.outputs());
        }
      }
    }
    if (head.stream().noneMatch(n -> n.outputs().contains(output))) {
      throw new CondenseException("gap-head: the layers after Flatten " + flatten.label() + " do not reach the output");
    }
    return head;
  }

  private static boolean taken(Graph g, String name) {
    return g.nodes().stream().anyMatch(x -> name.equals(x.name()) || x.outputs().contains(name))
        || g.isInitializer(name + ".weight");
  }

  private static String unique(Graph g, String name) {
    String n = name;
    for (int i = 2; taken(g, n); i++) {
      n = name + i;
    }
    return n;
  }

}
