package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.function.Function;

/**
 * Where an ONNX Split node cuts its input along {@code axis}: the length of every part, from the
 * {@code split} input (opset 13+), the {@code split} attribute (opsets 2-12), the
 * {@code num_outputs} attribute (opset 18: equal parts of ceil(length / n), the last smaller), or
 * else equal parts, one per output (ONNX Operators.md, Split-18).
 *
 * @param axis the axis cut, non-negative
 * @param sizes the length of each part along it
 */
public record SplitSpec(int axis, int[] sizes) {

  /**
   * @param constant the constant tensor of a value name, or null when it is not constant
   */
  public static SplitSpec of(Node n, int[] shape, Function<String, Tensor> constant) {
    int axis = Axis.of(n, n.intAttr("axis", 0), shape.length);
    int dim = shape[axis];
    int parts = n.outputs().size();
    long[] split;
    if (n.hasInput(1)) {
      Tensor t = constant.apply(n.input(1));
      if (t == null) {
        throw new CondenseException("node " + n.label() + ": Split's split (input 1) must be a constant");
      }
      split = t.toLongs();
    } else if (n.has("split")) {
      split = n.intsAttr("split", null);
    } else {
      long num = n.intAttr("num_outputs", parts);
      if (num != parts) {
        throw new CondenseException("node " + n.label() + ": num_outputs " + num + " but " + parts + " outputs");
      }
      long chunk = n.has("num_outputs") ? (dim + num - 1) / num : dim / num;
      if (!n.has("num_outputs") && chunk * num != dim) {
        throw new CondenseException("node " + n.label() + ": axis " + axis + " of length " + dim
            + " does not split into " + num + " equal parts");
      }
      split = new long[parts];
      for (int i = 0; i < parts; i++) {
        split[i] = Math.max(0, Math.min(chunk, dim - i * chunk));
      }
    }
    if (split.length != parts) {
      throw new CondenseException("node " + n.label() + ": split has " + split.length + " parts but the node has "
          + parts + " outputs");
    }
    long total = 0;
    int[] sizes = new int[parts];
    for (int i = 0; i < parts; i++) {
      if (split[i] <= 0) {
        throw new CondenseException("node " + n.label() + ": part " + i + " has length " + split[i]
            + "; Condense runs no empty tensors");
      }
      if (split[i] > dim) {
        throw new CondenseException("node " + n.label() + ": part " + i + " has length " + split[i] + ", axis "
            + axis + " has length " + dim);
      }
      sizes[i] = (int) split[i];
      total += split[i];
    }
    if (total != dim) {
      throw new CondenseException("node " + n.label() + ": split lengths sum to " + total + ", axis " + axis
          + " has length " + dim);
    }
    return new SplitSpec(axis, sizes);
  }

  /** The shape of part {@code i} of an input of shape {@code shape}. */
  public int[] partShape(int[] shape, int i) {
    int[] s = shape.clone();
    s[axis] = sizes[i];
    return s;
  }
}
