package dev.condense.report;

import java.util.Map;

/**
 * The per-layer numbers of the papers Condense reproduces, keyed by the zoo's graph and layer
 * names, for side-by-side columns in reports.
 */
public final class PaperReference {
  private PaperReference() {}

  /** Han et al. 2015, Tables 2 and 3: share of weights kept per layer after pruning. */
  private static final Map<String, Map<String, Double>> HAN2015_KEPT = Map.of(
      "lenet-300-100", Map.of("ip1", 0.08, "ip2", 0.09, "ip3", 0.26),
      "lenet-5", Map.of("conv1", 0.66, "conv2", 0.12, "ip1", 0.08, "ip2", 0.19));

  /** Han et al. 2015, Table 1: parameters after / before pruning (22K/267K, 36K/431K). */
  private static final Map<String, Double> HAN2015_TOTAL = Map.of("lenet-300-100", 22.0 / 267, "lenet-5", 36.0 / 431);

  /** Han et al. 2015's overall kept share for a zoo graph, or null. */
  public static Double han2015TotalKept(String graph) {
    return HAN2015_TOTAL.get(graph);
  }

  /** Han et al. 2015's kept share for a layer of a zoo model, or null if the paper has none. */
  public static Double han2015Kept(String graph, String layer) {
    Map<String, Double> m = HAN2015_KEPT.get(graph);
    return m == null ? null : m.get(layer);
  }

  /** Han et al. 2015's per-layer sparsities for a zoo graph (1 − kept), or null. */
  public static Map<String, Double> han2015Sparsity(String graph) {
    Map<String, Double> m = HAN2015_KEPT.get(graph);
    if (m == null) {
      return null;
    }
    Map<String, Double> s = new java.util.LinkedHashMap<>();
    new java.util.TreeMap<>(m).forEach((k, v) -> s.put(k, 1 - v));
    return s;
  }
}
