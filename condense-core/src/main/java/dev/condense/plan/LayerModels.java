package dev.condense.plan;

import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.Thinning;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The layers one channel group's count changes, as one-layer models to time: the group is thinned
 * to the count (its last channels removed: latency depends on shapes, not on which channels go),
 * and each layer the group touches — the producers making its channels (Conv filters, Gemm rows,
 * their other input at full width), the depthwise or grouped Convs it passes through, and the
 * consumers reading it (their outputs at full width) — becomes a model of that one node, its
 * weights and one input at the batch. Each layer's time is then separable: the group's count is
 * the only width that differs from the original model's.
 */
public final class LayerModels {
  private LayerModels() {}

  /** One layer to time: the model and its signature (what its latency depends on). */
  public record Layer(String node, Model model, String signature) {}

  /**
   * The group's layers with {@code count} channels kept, at {@code batch} (a model that declares
   * a fixed batch keeps it). Layers with more than one non-constant input are left out (they are
   * not a layer with weights here).
   */
  public static List<Layer> of(Model model, ChannelGroup group, int count, int batch) {
    Model m = count >= group.size() ? model
        : Thinning.apply(model, Map.of(group, IntStream.range(count, group.size()).toArray()));
    Graph g = m.graph();
    Map<String, ValueType> inputs = new LinkedHashMap<>();
    for (ValueInfo vi : g.inputs()) {
      int[] s = vi.shapeOr(batch);
      if (s != null && !g.isInitializer(vi.name())) {
        inputs.put(vi.name(), new ValueType(vi.dtype(), s));
      }
    }
    ShapeInference.Result shapes = ShapeInference.infer(g, inputs);
    List<Layer> out = new ArrayList<>();
    for (String name : layers(model, group)) {
      Node n = g.node(name);
      Layer l = n == null ? null : one(m, n, shapes);
      if (l != null) {
        out.add(l);
      }
    }
    return out;
  }

  /** The layer nodes whose weights the group slices: producers, depthwise Convs on the way, consumers. */
  static List<String> layers(Model model, ChannelGroup group) {
    Set<String> names = new LinkedHashSet<>(group.producers());
    names.addAll(group.depthwise());
    names.addAll(group.consumers());
    return names.stream().filter(n -> model.graph().node(n) != null
        && OpTable.standard().op(model.graph().node(n)).kind().isLayer()).toList();
  }

  private static Layer one(Model m, Node n, ShapeInference.Result shapes) {
    Graph g = m.graph();
    Map<String, Tensor> weights = new LinkedHashMap<>();
    ValueInfo input = null;
    StringBuilder sig = new StringBuilder(n.opType()).append(new TreeMap<>(n.attributes()));
    for (String in : n.inputs()) {
      if (in.isEmpty()) {
        sig.append(" -");
        continue;
      }
      Tensor t = g.initializer(in) != null ? g.initializer(in) : shapes.constants().get(in);
      ValueType type = shapes.type(in);
      if (t != null) {
        weights.put(in, t);
        sig.append(" w").append(t.dtype()).append(Arrays.toString(t.shape()));
      } else if (input == null && type != null && type.dtype() == DType.FLOAT) {
        input = fixed(in, type);
        sig.append(" x").append(Arrays.toString(type.shape()));
      } else {
        return null;
      }
    }
    ValueType y = shapes.type(n.output(0));
    if (input == null || y == null) {
      return null;
    }
    Node only = new Node(n.name(), n.opType(), n.inputs(), List.of(n.output(0)), n.attributes());
    Graph one = new Graph(n.name(), List.of(only), weights, List.of(input), List.of(fixed(n.output(0), y)), List.of());
    return new Layer(n.name(), m.withoutAnnotations().withGraph(one), sig.toString());
  }

  private static ValueInfo fixed(String name, ValueType t) {
    return new ValueInfo(name, t.dtype(), Arrays.stream(t.shape()).mapToObj(d -> ValueInfo.Dim.of(d)).toList());
  }

  /**
   * A hash of what latency depends on in {@code model}: every node's op, inputs and attributes and
   * every initializer's type and shape, in graph order — not the weights' values, so a retrained
   * model of the same shapes has the same hash.
   */
  public static String shapeHash(Model model) {
    StringBuilder b = new StringBuilder();
    for (Node n : model.graph().nodes()) {
      b.append(n.opType()).append(' ').append(n.inputs()).append(new TreeMap<>(n.attributes())).append(';');
    }
    for (ValueInfo vi : model.graph().inputs()) {
      b.append(vi).append(';');
    }
    for (Map.Entry<String, Tensor> e : model.graph().initializers().entrySet()) {
      b.append(e.getKey()).append(e.getValue().dtype()).append(Arrays.toString(e.getValue().shape())).append(';');
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
