package dev.condense.graph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Names for the nodes, values and initializers a pass adds to a graph, none equal to a name the
 * graph already uses (a node's, a value's, an initializer's, a graph input's or output's) or to
 * one handed out before. ONNX keeps node and value names apart, but one pool keeps a file
 * unambiguous to readers that do not. The names depend only on the graph and the order of the
 * calls, so a pass that asks in graph order writes the same names every run.
 */
public final class FreshNames {
  private final Set<String> taken = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();

  private FreshNames() {}

  /** The names of {@code g} taken. */
  public static FreshNames of(Graph g) {
    FreshNames r = new FreshNames();
    r.taken.addAll(g.initializers().keySet());
    g.inputs().forEach(v -> r.taken.add(v.name()));
    g.outputs().forEach(v -> r.taken.add(v.name()));
    g.valueInfo().forEach(v -> r.taken.add(v.name()));
    for (Node n : g.nodes()) {
      r.taken.add(n.name());
      r.taken.addAll(n.inputs());
      r.taken.addAll(n.outputs());
    }
    return r;
  }

  /**
   * {@code prefix} followed by the next number of that prefix's counter (from 0) whose name is
   * free: {@code q0, q1, …}, a number skipped where the graph has the name already.
   */
  public String next(String prefix) {
    int k = counters.getOrDefault(prefix, 0);
    String name = prefix + k;
    while (taken.contains(name)) {
      name = prefix + ++k;
    }
    counters.put(prefix, k + 1);
    taken.add(name);
    return name;
  }

  /** {@code hint} itself when free, else {@code hint_1}, {@code hint_2}, … the first free one. */
  public String fresh(String hint) {
    String name = hint;
    for (int i = 1; taken.contains(name); i++) {
      name = hint + "_" + i;
    }
    taken.add(name);
    return name;
  }
}
