package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.function.Function;

/**
 * What an ONNX {@code Slice} node (opset 10+) takes from each axis: {@code count[a]} elements,
 * the first at {@code start[a]}, then every {@code step[a]}-th (negative steps walk backwards).
 * Resolved from the constant inputs starts, ends, axes and steps with ONNX's clamping rules.
 */
public record SliceSpec(int[] start, int[] step, int[] count) {

  /**
   * @param shape shape of the data input
   * @param constant the constant tensor of a value name, or null when it is not constant
   */
  public static SliceSpec of(Node n, int[] shape, Function<String, Tensor> constant) {
    return of(n, shape, constant, false);
  }

  /**
   * {@link #of(Node, int[], Function)}, where {@code emptyAllowed} lets an axis come out empty: the
   * slice of a constant shape that folds at load time ({@code shape[2:]} of a rank-2 value, which
   * PyTorch writes for the index tuples of slice assignment). Run-time values are never empty.
   */
  public static SliceSpec of(Node n, int[] shape, Function<String, Tensor> constant, boolean emptyAllowed) {
    int rank = shape.length;
    long[] starts = longs(n, 1, "starts", constant);
    long[] ends = longs(n, 2, "ends", constant);
    if (starts == null || ends == null || starts.length != ends.length) {
      throw new CondenseException("node " + n.label() + ": Slice needs constant starts and ends of equal length");
    }
    long[] axes = longs(n, 3, "axes", constant);
    long[] steps = longs(n, 4, "steps", constant);
    if ((axes != null && axes.length != starts.length) || (steps != null && steps.length != starts.length)) {
      throw new CondenseException("node " + n.label() + ": Slice's axes and steps must match its starts in length");
    }
    int[] start = new int[rank];
    int[] step = new int[rank];
    int[] count = shape.clone();
    java.util.Arrays.fill(step, 1);
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < starts.length; i++) {
      int a = axes == null ? i : Axis.of(n, axes[i], rank);
      if (seen[a]) {
        throw new CondenseException("node " + n.label() + ": Slice names axis " + a + " twice");
      }
      seen[a] = true;
      long st = steps == null ? 1 : steps[i];
      if (st == 0) {
        throw new CondenseException("node " + n.label() + ": Slice step must not be 0");
      }
      long dim = shape[a];
      long s = starts[i] < 0 ? starts[i] + dim : starts[i];
      long e = ends[i] < 0 ? ends[i] + dim : ends[i];
      if (st > 0) {
        s = Math.max(0, Math.min(s, dim));
        e = Math.max(0, Math.min(e, dim));
      } else {
        s = Math.max(0, Math.min(s, dim - 1));
        e = Math.max(-1, Math.min(e, dim - 1));
      }
      long c = st > 0 ? (e - s + st - 1) / st : (s - e + (-st) - 1) / (-st);
      if (c <= 0 && !emptyAllowed) {
        throw new CondenseException("node " + n.label() + ": Slice leaves axis " + a + " empty; Condense runs no empty tensors");
      }
      start[a] = (int) s;
      step[a] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, st));
      count[a] = (int) Math.max(c, 0);
    }
    return new SliceSpec(start, step, count);
  }

  private static long[] longs(Node n, int slot, String what, Function<String, Tensor> constant) {
    if (n.inputs().size() <= slot || n.input(slot).isEmpty()) {
      return null;
    }
    Tensor t = constant.apply(n.input(slot));
    if (t == null) {
      throw new CondenseException("node " + n.label() + ": Slice's " + what + " must be a constant");
    }
    return t.toLongs();
  }

  /** The input index of output index {@code o} on axis {@code a} (an {@link IndexMaps.AxisMap}). */
  public int source(int a, int o, int dim) {
    return start[a] + o * step[a];
  }

  /** Whether axis {@code a} of a tensor of {@code dim} values is taken whole and in order. */
  public boolean whole(int a, int dim) {
    return start[a] == 0 && step[a] == 1 && count[a] == dim;
  }
}
