package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Shape (with opset 15's {@code start} and {@code end}) and Size: the int64 shape or
 * element count of a value. Both depend only on the input's type, so a plan compiled for
 * concrete input shapes knows them and folds the shape arithmetic exporters write after them
 * ({@code x.view(x.size(0), -1)}).
 */
final class ShapeOf implements Op {
  static final ShapeOf SHAPE = new ShapeOf("Shape");
  static final ShapeOf SIZE = new ShapeOf("Size");

  private final String type;

  private ShapeOf(String type) {
    this.type = type;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return 1; // Shape-13 and -15 only widen types and add start/end, read here in every version
  }

  @Override
  public Kind kind() {
    return Kind.GENERATOR;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    Tensor t = valueFromTypes(n, in);
    return List.of(new ValueType(t.dtype(), t.shape()));
  }

  @Override
  public Tensor valueFromTypes(Node n, List<ValueType> in) {
    int[] s = in.get(0).shape();
    if (this == SIZE) {
      return Tensor.ofLongs(new long[] {Tensor.numel(s)});
    }
    // Shape-15: start and end as in Python slicing, clamped to [0, rank].
    int r = s.length;
    int start = clamp(n.intAttr("start", 0), r);
    int end = clamp(n.intAttr("end", r), r);
    long[] dims = new long[Math.max(0, end - start)];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s[start + i];
    }
    return Tensor.ofLongs(dims, dims.length);
  }

  private static int clamp(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    return (int) Math.max(0, Math.min(rank, a));
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return false; // only the input's type is read
  }
}
