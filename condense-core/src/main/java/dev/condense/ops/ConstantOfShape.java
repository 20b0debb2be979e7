package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;

/** ONNX ConstantOfShape of a constant shape: filled with the one-element {@code value} (default float 0). */
final class ConstantOfShape extends LoadTimeOp {

  ConstantOfShape() {
    super(1);
  }

  @Override
  public String type() {
    return "ConstantOfShape";
  }

  @Override
  public int since() {
    return 9;
  }

  @Override
  public Kind kind() {
    return Kind.GENERATOR;
  }

  /** The product of the shape's values; {@link Long#MAX_VALUE} where it overflows. */
  @Override
  public long foldedElements(Node n, List<Tensor> in, ValueType inferred) {
    long size = 1;
    for (long d : in.get(0).toLongs()) {
      if (d < 0 || (d > 0 && size > Long.MAX_VALUE / d)) {
        return Long.MAX_VALUE;
      }
      size *= d;
    }
    return size;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    long[] dims = in.get(0).toLongs();
    int[] shape = new int[dims.length];
    long size = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 1) {
        throw new CondenseException("node " + n.label() + ": ConstantOfShape of " + Arrays.toString(dims)
            + " is empty; Condense runs no empty tensors");
      }
      if ((size *= dims[i]) > Integer.MAX_VALUE) {
        throw new CondenseException("node " + n.label() + ": ConstantOfShape of " + Arrays.toString(dims)
            + " is too large");
      }
      shape[i] = (int) dims[i];
    }
    Tensor value = n.has("value") ? n.tensorAttr("value") : Tensor.of(new float[] {0f}, 1);
    if (value.dtype() == DType.FLOAT) {
      float[] out = new float[(int) size];
      Arrays.fill(out, value.floats()[0]);
      return Tensor.of(out, shape);
    }
    long[] out = new long[(int) size];
    Arrays.fill(out, value.toLongs()[0]);
    return Cast.to(Tensor.ofLongs(out, shape), value.dtype());
  }
}
