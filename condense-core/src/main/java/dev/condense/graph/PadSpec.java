package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.Arrays;
import java.util.function.Function;

/**
 * What an ONNX {@code Pad} node (opset 11+; modes constant, edge, reflect, wrap) does to each axis: {@code begin[a]}
 * values before and {@code end[a]} after, negative to crop. Resolved from the node's constant
 * inputs (pads, and opset 18's axes), so shape inference, the engine and the channel analysis
 * read one definition. The pad value (input 2, default 0) may be a run-time input.
 */
public record PadSpec(int[] begin, int[] end, Mode mode) {

  /** How the new positions are filled (ONNX Pad's {@code mode}). */
  public enum Mode { CONSTANT, EDGE, REFLECT, WRAP }

  /** The input index of output index {@code o} on an axis of {@code n} values; -1 means the pad value. */
  public int source(int axis, int o, int n) {
    int i = o - begin[axis];
    if (i >= 0 && i < n) {
      return i;
    }
    return switch (mode) {
      case CONSTANT -> -1;
      case EDGE -> i < 0 ? 0 : n - 1;
      case REFLECT -> {
        if (n == 1) {
          yield 0;
        }
        int period = 2 * (n - 1);
        int r = Math.floorMod(i, period);
        yield r < n ? r : period - r;
      }
      case WRAP -> Math.floorMod(i, n);
    };
  }

  /**
   * @param rank rank of the data input
   * @param constant the constant tensor of a value name, or null when it is not constant
   */
  public static PadSpec of(Node n, int rank, Function<String, Tensor> constant) {
    String name = n.stringAttr("mode", "constant");
    Mode mode = switch (name) {
      case "constant" -> Mode.CONSTANT;
      case "edge" -> Mode.EDGE;
      case "reflect" -> Mode.REFLECT;
      case "wrap" -> Mode.WRAP;
      default -> throw new CondenseException("node " + n.label() + ": unknown Pad mode '" + name + "'");
    };
    Tensor pads = n.inputs().size() > 1 && !n.input(1).isEmpty() ? constant.apply(n.input(1)) : null;
    if (pads == null || pads.dtype() != DType.INT64) {
      throw new CondenseException("node " + n.label() + ": Pad's pads must be a constant int64 tensor");
    }
    int[] axes = new int[rank];
    for (int a = 0; a < rank; a++) {
      axes[a] = a;
    }
    if (n.inputs().size() > 3 && !n.input(3).isEmpty()) {
      Tensor ax = constant.apply(n.input(3));
      if (ax == null) {
        throw new CondenseException("node " + n.label() + ": Pad's axes must be a constant");
      }
      long[] v = ax.toLongs();
      axes = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        axes[i] = Axis.of(n, v[i], rank);
      }
    }
    long[] p = pads.toLongs();
    if (p.length != 2 * axes.length) {
      throw new CondenseException("node " + n.label() + ": Pad has " + p.length + " pads for " + axes.length
          + " axes, expected " + 2 * axes.length);
    }
    int[] begin = new int[rank];
    int[] end = new int[rank];
    for (int i = 0; i < axes.length; i++) {
      for (long v : new long[] {p[i], p[i + axes.length]}) {
        if (v < -MAX_PAD || v > MAX_PAD) {
          throw new CondenseException("node " + n.label() + ": Pad's pad " + v + " is out of range (at most "
              + MAX_PAD + " either way)");
        }
      }
      begin[axes[i]] = (int) p[i];
      end[axes[i]] = (int) p[i + axes.length];
    }
    return new PadSpec(begin, end, mode);
  }

  /** The largest pad (or crop, negative) of one side of an axis: no tensor is longer. */
  private static final long MAX_PAD = Integer.MAX_VALUE - 8;

  /** The padded shape of {@code in}; an error naming the node if an axis would vanish. */
  public int[] apply(Node n, int[] in) {
    int[] out = new int[in.length];
    long size = 1;
    for (int a = 0; a < in.length; a++) {
      long o = (long) in[a] + begin[a] + end[a];
      if (o < 1) {
        throw new CondenseException("node " + n.label() + ": Pad crops axis " + a + " of " + Arrays.toString(in) + " to nothing");
      }
      size *= o;
      if (o > Integer.MAX_VALUE || size > Integer.MAX_VALUE - 8) {
        throw new CondenseException("node " + n.label() + ": Pad of " + Arrays.toString(in) + " by "
            + Arrays.toString(begin) + " and " + Arrays.toString(end) + " makes more than 2^31 elements");
      }
      out[a] = (int) o;
    }
    return out;
  }
}
