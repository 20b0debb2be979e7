package dev.condense.engine.cpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall time per node of the sessions that record into it: forward and backward time of every
 * kernel, and of the parts of a training step that are not nodes (the loss, the optimizer step,
 * filling the batch). A session records only when opened with a profile
 * ({@link CpuEngine#open(dev.condense.graph.Model, OpProfile)}); without one the engine reads no
 * clock. A profile is owned by whoever opened the session and is not thread-safe: one session
 * records into it at a time.
 */
public final class OpProfile {
  /** A step part that is not a node of the graph. */
  public enum Part {
    /** Copying the batch out of the data set. */
    DATA,
    /** Softmax cross-entropy and its gradient. */
    LOSS,
    /** The SGD update of every trained weight. */
    OPTIMIZER
  }

  /**
   * One node's totals (or a step part's, with {@code kind} the part's name and no node).
   *
   * @param node the node's label
   * @param kind the node's op type, or the step part
   * @param calls forward calls recorded
   * @param forwardNanos time in forward passes
   * @param backwardNanos time in backward passes
   * @param forwardMultiplyAdds multiply-adds of one forward call (0 where the op counts none)
   * @param backwardMultiplyAdds multiply-adds of one backward call: one forward's worth for each
   *     gradient of a multiplying input (data, weight) it computes
   */
  public record Row(String node, String kind, long calls, long forwardNanos, long backwardNanos,
      long forwardMultiplyAdds, long backwardMultiplyAdds) {
    /** Forward and backward time together. */
    public long nanos() {
      return forwardNanos + backwardNanos;
    }
  }

  private static final class Acc {
    final String node;
    final String kind;
    long calls;
    long forward;
    long backward;
    long forwardMacs;
    long backwardMacs;

    Acc(String node, String kind) {
      this.node = node;
      this.kind = kind;
    }
  }

  private final Map<Object, Acc> rows = new LinkedHashMap<>();
  private final long[] parts = new long[Part.values().length];
  private long steps;

  /** Records one forward ({@code backward} false) or backward call of {@code k}. */
  void kernel(Kernel k, boolean backward, long nanos) {
    Acc a = rows.computeIfAbsent(k.node.label(), x -> new Acc(k.node.label(), k.node.opType()));
    if (backward) {
      a.backward += nanos;
      a.backwardMacs = k.backwardMultiplyAdds;
    } else {
      a.forward += nanos;
      a.calls++;
      a.forwardMacs = k.multiplyAdds;
    }
  }

  /** Records time spent in a step part. */
  void part(Part p, long nanos) {
    parts[p.ordinal()] += nanos;
  }

  /** Counts one completed training step. */
  void step() {
    steps++;
  }

  /** Training steps recorded. */
  public long steps() {
    return steps;
  }

  /** The time recorded for step part {@code p}. */
  public long nanos(Part p) {
    return parts[p.ordinal()];
  }

  /** Every node recorded, in the order first seen (graph order), then one row per step part. */
  public List<Row> rows() {
    List<Row> r = new ArrayList<>();
    for (Acc a : rows.values()) {
      r.add(new Row(a.node, a.kind, a.calls, a.forward, a.backward, a.forwardMacs, a.backwardMacs));
    }
    for (Part p : Part.values()) {
      r.add(new Row("", p.name().toLowerCase(), steps, parts[p.ordinal()], 0, 0, 0));
    }
    return r;
  }

  /** Forgets everything recorded (after warm-up steps). */
  public void reset() {
    rows.clear();
    java.util.Arrays.fill(parts, 0);
    steps = 0;
  }
}
