package dev.condense.ops;

import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Dropout's mask output where nothing reads it: left out of the node (an empty output name, as ONNX
 * writes an optional output not produced). PyTorch's exporter writes the mask of a training-mode
 * Dropout (a model exported with {@code TrainingMode.PRESERVE}, swin_t's functional attention
 * dropout) even with no reader; Condense produces no mask, so without this the node is refused. A
 * mask some node or the graph output reads is kept, and Dropout refuses it naming the node.
 */
final class UnreadMasks {
  private UnreadMasks() {}

  /** {@code g} with every unread Dropout mask output removed (the same graph where there is none). */
  static Graph strip(Graph g, OpTable table) {
    List<Node> nodes = new ArrayList<>();
    boolean changed = false;
    for (Node n : g.nodes()) {
      if (table.find(n.opType()) instanceof Dropout && n.outputs().size() > 1 && unread(g, n.output(1))) {
        nodes.add(new Node(n.name(), n.opType(), n.inputs(), List.of(n.output(0)), n.attributes()));
        changed = true;
      } else {
        nodes.add(n);
      }
    }
    return changed ? g.withNodes(nodes) : g;
  }

  private static boolean unread(Graph g, String value) {
    return value.isEmpty() || (g.consumers(value).isEmpty() && !g.isGraphOutput(value));
  }
}
