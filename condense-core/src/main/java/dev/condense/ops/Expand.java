package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Broadcast;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.function.Function;

/**
 * ONNX Expand (opset 8+: constant {@code shape} as input 1): the input broadcast to the shape in
 * both directions, as NumPy does (an axis of length 1 in the shape keeps the input's length). Its
 * gradient is the sum over the copies of each element.
 */
final class Expand extends Repeat {

  @Override
  public String type() {
    return "Expand";
  }

  @Override
  public int since() {
    return 8;
  }

  @Override
  int[] outShape(Node n, int[] x, Function<String, Tensor> constants) {
    Tensor s = constants.apply(n.input(1));
    if (s == null) {
      throw new CondenseException("node " + n.label() + ": Expand's shape (input 1) must be a constant");
    }
    long[] shape = s.toLongs();
    int[] target = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 1) {
        throw new CondenseException("node " + n.label() + ": shape " + java.util.Arrays.toString(shape)
            + " has an axis of length " + shape[i] + "; Condense runs no empty tensors");
      }
      target[i] = Math.toIntExact(shape[i]);
    }
    return Broadcast.shape(x, target, n);
  }

  /** A class token expanded to {@code [1, 1, E]} by a batch-1 export: the shape follows the batch ({@link FixedBatch}). */
  @Override
  public int batchShapeSlot() {
    return 1;
  }
}
