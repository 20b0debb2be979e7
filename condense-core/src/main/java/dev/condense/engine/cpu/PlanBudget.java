package dev.condense.engine.cpu;

import dev.condense.MemoryLimit;
import dev.condense.MemoryLimitException;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.ValueInfo;
import dev.condense.ops.ShapeInference;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link Plan} will allocate, counted from the inferred shapes before any buffer exists,
 * and refused when it does not fit the {@link MemoryLimit}: a 413-byte model whose {@code Pad}
 * makes 6.4 GB per sample is a one-line error naming the node and the amount, not an
 * out-of-memory error. The message says what helps: the largest batch that fits when one sample
 * does ({@link MemoryLimitException.Remedy#BATCH}), a higher limit when not even one does.
 */
final class PlanBudget {
  private PlanBudget() {}

  /**
   * Checks the buffers a plan of {@code nodes} would allocate: the float inputs and every computed
   * output (twice in training, for its gradient); constants are already allocated and not counted.
   * Returns the bytes counted.
   */
  static long check(Graph g, List<Node> nodes, ShapeInference.Result shapes, Map<String, ?> inputs,
      boolean training, MemoryLimit limit) {
    long total = 0;
    long largest = -1;
    Node culprit = null;
    int batch = 1;
    for (ValueInfo vi : g.inputs()) {
      if (inputs.containsKey(vi.name()) && !shapes.constants().containsKey(vi.name())) {
        int[] s = shapes.type(vi.name()).shape();
        total = add(total, bytes(s));
        batch = s.length > 0 ? Math.max(1, s[0]) : batch;
      }
    }
    Set<String> constants = shapes.constants().keySet();
    for (Node n : nodes) {
      for (String o : n.outputs()) {
        if (o.isEmpty() || constants.contains(o)) {
          continue;
        }
        long b = bytes(shapes.type(o).shape());
        total = add(total, training ? add(b, b) : b);
        if (b > largest || b < 0) {
          largest = b < 0 ? Long.MAX_VALUE : b;
          culprit = n;
        }
      }
    }
    if (culprit == null) {
      return total;
    }
    long perSampleTensor = largest / batch;
    long perSample = total / batch;
    long fits = Math.min(limit.tensorBytes() / Math.max(1, perSampleTensor), limit.modelBytes() / Math.max(1, perSample));
    String remedy = fits >= 1 ? "; a batch of at most " + fits + " fits" : "; not even one sample fits";
    MemoryLimitException.Remedy kind = fits >= 1 ? MemoryLimitException.Remedy.BATCH : MemoryLimitException.Remedy.LIMIT;
    if (largest > limit.tensorBytes()) {
      throw new MemoryLimitException("node " + culprit.label() + ": its output needs " + MemoryLimit.describe(largest)
          + " at a batch of " + batch + ", more than the " + MemoryLimit.describe(limit.tensorBytes())
          + " one tensor may take (" + limit.source() + ")" + remedy, kind);
    }
    if (total > limit.modelBytes()) {
      throw new MemoryLimitException("node " + culprit.label() + " (the largest output, " + MemoryLimit.describe(largest)
          + "): the " + (training ? "training" : "inference") + " buffers for a batch of " + batch + " need "
          + MemoryLimit.describe(total) + " (" + MemoryLimit.describe(perSample) + " per sample), more than the "
          + MemoryLimit.describe(limit.modelBytes()) + " a model may take (" + limit.source() + ")" + remedy, kind);
    }
    return total;
  }

  /** Bytes of a float buffer of {@code shape}; negative when beyond 2^63. */
  private static long bytes(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n = Math.multiplyHigh(n, d) != 0 || n * d < 0 ? -1 : n * d;
      if (n < 0) {
        return -1;
      }
    }
    return n > Long.MAX_VALUE / Float.BYTES ? -1 : n * Float.BYTES;
  }

  private static long add(long a, long b) {
    return a < 0 || b < 0 || a + b < 0 ? Long.MAX_VALUE : a + b;
  }
}
