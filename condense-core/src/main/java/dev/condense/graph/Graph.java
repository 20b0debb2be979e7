package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX computation graph: nodes in topological order, named initializers (the weights),
 * declared inputs and outputs, and optional declared types of intermediate values. Immutable;
 * compression methods build changed copies with the {@code with...} methods.
 *
 * <p>Inputs hold only the values a caller feeds; initializers are not repeated among them.
 */
public final class Graph {
  private final String name;
  private final List<Node> nodes;
  private final Map<String, Tensor> initializers;
  private final List<ValueInfo> inputs;
  private final List<ValueInfo> outputs;
  private final List<ValueInfo> valueInfo;
  private final Map<String, Storage> storage;

  public Graph(String name, List<Node> nodes, Map<String, Tensor> initializers,
      List<ValueInfo> inputs, List<ValueInfo> outputs, List<ValueInfo> valueInfo) {
    this(name, nodes, initializers, inputs, outputs, valueInfo, Map.of());
  }

  /**
   * A graph whose file stored some tensors differently from their in-memory form ({@code storage}:
   * by initializer name, or by the first output of a node with a tensor attribute).
   */
  public Graph(String name, List<Node> nodes, Map<String, Tensor> initializers,
      List<ValueInfo> inputs, List<ValueInfo> outputs, List<ValueInfo> valueInfo,
      Map<String, Storage> storage) {
    this.storage = Collections.unmodifiableMap(new LinkedHashMap<>(storage));
    this.name = name == null ? "" : name;
    this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.valueInfo = List.copyOf(valueInfo);
    this.nodes = List.copyOf(sortTopologically(nodes, this.initializers.keySet(), this.inputs));
  }

  public String name() {
    return name;
  }

  /** The nodes, in an order where every value is produced before it is used. */
  public List<Node> nodes() {
    return nodes;
  }

  public Map<String, Tensor> initializers() {
    return initializers;
  }

  public Tensor initializer(String value) {
    return initializers.get(value);
  }

  public boolean isInitializer(String value) {
    return initializers.containsKey(value);
  }

  public List<ValueInfo> inputs() {
    return inputs;
  }

  public List<ValueInfo> outputs() {
    return outputs;
  }

  public List<ValueInfo> valueInfo() {
    return valueInfo;
  }

  /** How the file stored the tensors that differ from their in-memory form (see {@link Storage}). */
  public Map<String, Storage> storage() {
    return storage;
  }

  /**
   * How the file stored the initializer {@code value} or the tensor attribute of the node whose
   * first output it is; null where it was stored as held (its own type, inside the model).
   */
  public Storage storage(String value) {
    return storage.get(value);
  }

  /** A copy that stores tensors as {@code newStorage} says when written. */
  public Graph withStorage(Map<String, Storage> newStorage) {
    return new Graph(name, nodes, initializers, inputs, outputs, valueInfo, newStorage);
  }

  public ValueInfo input(String value) {
    return inputs.stream().filter(v -> v.name().equals(value)).findFirst().orElse(null);
  }

  /** The node that produces {@code value}, or null for inputs and initializers. */
  public Node producer(String value) {
    for (Node n : nodes) {
      if (n.outputs().contains(value)) {
        return n;
      }
    }
    return null;
  }

  /** The nodes that read {@code value}, in graph order. */
  public List<Node> consumers(String value) {
    List<Node> r = new ArrayList<>();
    for (Node n : nodes) {
      if (n.inputs().contains(value)) {
        r.add(n);
      }
    }
    return r;
  }

  public boolean isGraphOutput(String value) {
    return outputs.stream().anyMatch(v -> v.name().equals(value));
  }

  public Node node(String nodeName) {
    return nodes.stream().filter(n -> nodeName.equals(n.name())).findFirst()
        .orElseThrow(() -> new CondenseException("no node named '" + nodeName + "' in the graph"));
  }

  /** Total number of elements over all float initializers. */
  public long parameterCount() {
    long n = 0;
    for (Tensor t : initializers.values()) {
      if (t.dtype() == DType.FLOAT) {
        n += t.size();
      }
    }
    return n;
  }

  public Graph withNodes(List<Node> newNodes) {
    return new Graph(name, newNodes, initializers, inputs, outputs, valueInfo, storage);
  }

  public Graph withInitializers(Map<String, Tensor> newInitializers) {
    return new Graph(name, nodes, newInitializers, inputs, outputs, valueInfo, storage);
  }

  /** A copy with one initializer replaced (or added), keeping the order of the others. */
  public Graph withInitializer(String value, Tensor t) {
    Map<String, Tensor> m = new LinkedHashMap<>(initializers);
    m.put(value, t);
    return withInitializers(m);
  }

  public Graph withInputs(List<ValueInfo> newInputs) {
    return new Graph(name, nodes, initializers, newInputs, outputs, valueInfo, storage);
  }

  public Graph withOutputs(List<ValueInfo> newOutputs) {
    return new Graph(name, nodes, initializers, inputs, newOutputs, valueInfo, storage);
  }

  public Graph withValueInfo(List<ValueInfo> newValueInfo) {
    return new Graph(name, nodes, initializers, inputs, outputs, newValueInfo, storage);
  }

  /**
   * Kahn's algorithm, stable: nodes keep their file order wherever that order is already valid.
   * A value used before any node makes it stays unresolved here; {@code ModelChecker} reports it.
   */
  private static List<Node> sortTopologically(List<Node> nodes, Set<String> initializerNames,
      List<ValueInfo> inputs) {
    Map<String, Integer> producerOf = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String o : nodes.get(i).outputs()) {
        if (!o.isEmpty() && producerOf.put(o, i) != null) {
          throw new CondenseException("value '" + o + "' is produced by more than one node (second: "
              + nodes.get(i).label() + ")");
        }
      }
    }
    int[] waiting = new int[nodes.size()];
    List<List<Integer>> dependents = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      dependents.add(new ArrayList<>());
    }
    for (int i = 0; i < nodes.size(); i++) {
      Set<Integer> deps = new HashSet<>();
      for (String in : nodes.get(i).inputs()) {
        Integer p = producerOf.get(in);
        if (p != null && !initializerNames.contains(in) && deps.add(p)) {
          dependents.get(p).add(i);
          waiting[i]++;
        }
      }
    }
    // A priority on the original index keeps the file order where possible.
    java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
    List<Node> order = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      int i = ready.poll();
      order.add(nodes.get(i));
      for (int d : dependents.get(i)) {
        if (--waiting[d] == 0) {
          ready.add(d);
        }
      }
    }
    if (order.size() != nodes.size()) {
      ArrayDeque<String> stuck = new ArrayDeque<>();
      for (int i = 0; i < nodes.size(); i++) {
        if (waiting[i] > 0) {
          stuck.add(nodes.get(i).label());
        }
      }
      throw new CondenseException("the graph has a cycle through node " + stuck.peekFirst());
    }
    return order;
  }

  /** Builds graphs in code (the zoo, tests). */
  public static final class Builder {
    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();

    public Builder(String name) {
      this.name = name;
    }

    public Builder input(ValueInfo v) {
      inputs.add(v);
      return this;
    }

    public Builder output(ValueInfo v) {
      outputs.add(v);
      return this;
    }

    public Builder initializer(String value, Tensor t) {
      if (initializers.put(value, t) != null) {
        throw new IllegalArgumentException("duplicate initializer " + value);
      }
      return this;
    }

    public Builder node(Node n) {
      nodes.add(n);
      return this;
    }

    public Graph build() {
      return new Graph(name, nodes, initializers, inputs, outputs, List.of());
    }
  }
}
