package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;

/** The checks shape inference makes on a node's inputs, each an error naming the node. */
public final class NodeChecks {
  private NodeChecks() {}

  /** Between {@code min} and {@code max} inputs, the first {@code min} present. */
  public static void requireInputs(Node n, List<ValueType> in, int min, int max) {
    int present = in.size();
    if (present < min || present > max || in.subList(0, Math.min(min, present)).contains(null)) {
      throw new CondenseException("node " + n.label() + ": expects " + (min == max ? min : min + "–" + max)
          + " inputs, got " + present);
    }
  }

  public static void requireRank(Node n, int[] s, int min, int max) {
    if (s.length < min || s.length > max) {
      throw new CondenseException("node " + n.label() + ": input of shape " + Arrays.toString(s)
          + " has rank " + s.length + ", expected " + min + (min == max ? "" : "–" + max));
    }
  }

  public static void requireSameType(Node n, ValueType a, ValueType b) {
    if (a.dtype() != b.dtype()) {
      throw new CondenseException("node " + n.label() + ": inputs have different element types "
          + a.dtype() + " and " + b.dtype());
    }
  }

  /** An axis in [-rank, rank] (inclusive: Flatten's axis may equal the rank). */
  public static int axisInclusive(Node n, long axis, int rank) {
    if (axis < -rank || axis > rank) {
      throw new CondenseException("node " + n.label() + ": axis " + axis + " out of range for rank " + rank);
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }

  /** Inputs {@code first} to {@code last} are per-channel vectors: rank 1, one value per channel of input 0. */
  public static void requirePerChannel(Node n, List<ValueType> in, int first, int last) {
    int channels = in.get(0).dim(1);
    for (int i = first; i <= last; i++) {
      if (in.get(i).rank() != 1 || in.get(i).dim(0) != channels) {
        throw new CondenseException("node " + n.label() + ": input " + i + " " + in.get(i)
            + " does not match " + channels + " channels");
      }
    }
  }
}
