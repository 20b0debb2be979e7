package dev.condense.cli;

import dev.condense.graph.Graph;
import dev.condense.graph.Storage;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a model's weights live and in which element types, for {@code condense info}: inside the
 * model file, or in external data files beside it (ONNX external data), and how many initializers
 * the file stores as float16, bfloat16 or double (computed in float32, written back so).
 */
record WeightStorage(int initializers, Map<String, Integer> externalFiles, Map<String, Integer> types) {

  static WeightStorage of(Graph g) {
    Map<String, Integer> files = new TreeMap<>();
    Map<String, Integer> types = new TreeMap<>();
    for (String name : g.initializers().keySet()) {
      Storage s = g.storage(name);
      String type = (s == null ? g.initializer(name).dtype() : s.dtype()).label();
      types.merge(type, 1, Integer::sum);
      if (s != null && s.isExternal()) {
        files.merge(s.externalFile(), 1, Integer::sum);
      }
    }
    return new WeightStorage(g.initializers().size(), files, types);
  }

  /** One line: "weights: 4 of 4 initializers in external data weights.bin (4); stored as float32: 4". */
  String text() {
    int external = externalFiles.values().stream().mapToInt(Integer::intValue).sum();
    String where = external == 0 ? initializers + " initializers in the model file"
        : external + " of " + initializers + " initializers in external data " + join(externalFiles, " (", ")");
    return "weights: " + where + "; stored as " + join(types, ": ", "");
  }

  private static String join(Map<String, Integer> counts, String open, String close) {
    return String.join(", ", counts.entrySet().stream().map(e -> e.getKey() + open + e.getValue() + close).toList());
  }
}
