package dev.condense.ops;

import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The integer graph inputs an engine runs as run-time values rather than compiling their values
 * into the plan: those whose every use is an index slot ({@link Op#isIndexSlot}, token ids into
 * an embedding), reads only the input's type (Shape), or moves them unchanged to such uses
 * ({@link Op#carriesIndices}: a transpose or view of the ids). A text classifier's tokens then change
 * from batch to batch without a new plan, and the embedding table they index trains. An integer
 * input used anywhere else (a shape, axes) stays a constant of the plan.
 */
public final class RunTimeIndices {
  private RunTimeIndices() {}

  /** The non-float inputs of {@code g} that run as values, given the inputs' concrete types. */
  public static Set<String> inputs(OpTable table, Graph g, Map<String, ValueType> types) {
    Set<String> r = new LinkedHashSet<>();
    for (ValueInfo vi : g.inputs()) {
      if (vi.dtype() != DType.FLOAT && !g.isInitializer(vi.name()) && types.containsKey(vi.name())
          && readAtRunTime(table, g, vi.name(), types)) {
        r.add(vi.name());
      }
    }
    return r;
  }

  private static boolean readAtRunTime(OpTable table, Graph g, String v, Map<String, ValueType> types) {
    List<Node> uses = g.consumers(v);
    boolean indexed = false;
    for (Node c : uses) {
      Op op = table.find(c.opType());
      if (op == null) {
        return false;
      }
      List<ValueType> in = new ArrayList<>();
      for (String x : c.inputs()) {
        in.add(types.get(x));
      }
      for (int i = 0; i < c.inputs().size(); i++) {
        if (!v.equals(c.input(i))) {
          continue;
        }
        if (op.isIndexSlot(i)) {
          indexed = true;
        } else if (op.carriesIndices(i) && c.outputs().size() == 1) {
          // A transpose or view of the ids (tokens.transpose(0, 1) before an embedding): its output must go on to indices.
          if (!readAtRunTime(table, g, c.output(0), types)) {
            return false;
          }
          indexed = true;
        } else if (c.inputs().size() != 1 || in.contains(null) || op.valueFromTypes(c, in) == null) {
          return false;
        }
      }
    }
    return indexed;
  }
}
