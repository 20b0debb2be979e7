package dev.condense.ops;

import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import java.util.List;

/**
 * Graph inputs that describe a value rather than carry data: every use is a slot an op reads as
 * a description ({@link Op#isFloatSlot} false: Resize's scales, a quantization scale). Such an
 * input is a constant of the engine's plan, as an int64 shape input is, and declares no batch.
 */
public final class DescribingInputs {
  private DescribingInputs() {}

  /** Whether every use of {@code input} in {@code g} is a describing slot (false for an unused input or a graph output). */
  public static boolean describesOnly(OpTable table, Graph g, String input) {
    List<Node> readers = g.consumers(input);
    if (readers.isEmpty() || g.isGraphOutput(input)) {
      return false;
    }
    for (Node n : readers) {
      Op op = table.find(n.opType());
      for (int i = 0; i < n.inputs().size(); i++) {
        if (n.input(i).equals(input) && (op == null || op.isFloatSlot(i))) {
          return false;
        }
      }
    }
    return true;
  }
}
