package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.function.Function;

/**
 * Which axes an ONNX reduction (ReduceMean, ReduceSum, ReduceMax, ... ) folds, resolved once from
 * the node: the axes come from input 1 where it is given (ReduceSum from opset 13, every
 * reduction from opset 18) or else from the {@code axes} attribute (the older form); none given
 * means every axis, or none at all with {@code noop_with_empty_axes=1} (ONNX Operators.md,
 * ReduceSum-13 and ReduceMean-18). {@code keepdims} (default 1) keeps reduced axes as length 1.
 *
 * @param shape the input's shape
 * @param reduced per axis, whether it is reduced
 * @param keepdims whether reduced axes stay in the output as length 1
 */
public record ReduceSpec(int[] shape, boolean[] reduced, boolean keepdims) {

  /**
   * @param constant the constant tensor of a value name, or null when it is not constant
   */
  public static ReduceSpec of(Node n, int[] shape, Function<String, Tensor> constant) {
    long[] axes = null;
    if (n.hasInput(1)) {
      Tensor t = constant.apply(n.input(1));
      if (t == null) {
        throw new CondenseException("node " + n.label() + ": " + n.opType() + "'s axes (input 1) must be a constant");
      }
      axes = t.toLongs();
    } else if (n.has("axes")) {
      axes = n.intsAttr("axes", null);
    }
    boolean[] reduced = new boolean[shape.length];
    if (axes == null || axes.length == 0) {
      java.util.Arrays.fill(reduced, n.intAttr("noop_with_empty_axes", 0) == 0);
    } else {
      for (long a : axes) {
        int axis = Axis.of(n, a, shape.length);
        if (reduced[axis]) {
          throw new CondenseException("node " + n.label() + ": axis " + a + " is named twice");
        }
        reduced[axis] = true;
      }
    }
    return new ReduceSpec(shape.clone(), reduced, n.intAttr("keepdims", 1) != 0);
  }

  /** The output's shape. */
  public int[] outShape() {
    int rank = 0;
    for (boolean r : reduced) {
      rank += r && !keepdims ? 0 : 1;
    }
    int[] out = new int[rank];
    for (int a = 0, o = 0; a < shape.length; a++) {
      if (!reduced[a]) {
        out[o++] = shape[a];
      } else if (keepdims) {
        out[o++] = 1;
      }
    }
    return out;
  }

  /** Whether axis {@code axis} of the input is reduced. */
  public boolean reduces(int axis) {
    return reduced[axis];
  }

  /** How many input elements make one output element. */
  public int count() {
    long c = 1;
    for (int a = 0; a < shape.length; a++) {
      c *= reduced[a] ? shape[a] : 1;
    }
    return Math.toIntExact(c);
  }

  /** For every input element, in row-major order, the flat index of the output element it goes to. */
  public int[] target() {
    int[] map = new int[Tensor.checkedNumel(shape)];
    int[] idx = new int[shape.length];
    for (int i = 0; i < map.length; i++) {
      int t = 0;
      for (int a = 0; a < shape.length; a++) {
        if (!reduced[a]) {
          t = t * shape[a] + idx[a];
        }
      }
      map[i] = t;
      for (int a = shape.length - 1; a >= 0 && ++idx[a] == shape[a]; a--) {
        idx[a] = 0;
      }
    }
    return map;
  }
}
