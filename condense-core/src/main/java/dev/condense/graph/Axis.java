package dev.condense.graph;

import dev.condense.CondenseException;

/** ONNX axis attributes: an axis in [-rank, rank) made non-negative, or an error naming the node. */
public final class Axis {
  private Axis() {}

  /** The axis {@code axis} of a rank-{@code rank} value; {@code Long.MIN_VALUE} means a missing attribute. */
  public static int of(Node n, long axis, int rank) {
    if (axis == Long.MIN_VALUE) {
      throw new CondenseException("node " + n.label() + ": missing attribute 'axis'");
    }
    if (axis < -rank || axis >= rank) {
      throw new CondenseException("node " + n.label() + ": axis " + axis + " out of range for rank " + rank);
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }
}
