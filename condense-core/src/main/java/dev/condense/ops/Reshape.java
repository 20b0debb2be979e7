package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** ONNX Reshape to a constant int64 shape (0 copies a dim unless allowzero, -1 is inferred); a view. */
final class Reshape extends ViewOp {

  @Override
  public String type() {
    return "Reshape";
  }

  @Override
  public int since() {
    return 5;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    Tensor shapeT = constants.apply(n.input(1));
    if (shapeT == null) {
      throw new CondenseException("node " + n.label()
          + ": Reshape's shape must be a constant (an initializer or a Constant node)");
    }
    if (shapeT.dtype() != DType.INT64) {
      throw new CondenseException("node " + n.label() + ": Reshape's shape must be int64");
    }
    return List.of(new ValueType(in.get(0).dtype(), target(n, in.get(0).shape(), shapeT.longs())));
  }

  /** ONNX Reshape: 0 copies the input dim (unless allowzero), -1 is inferred. */
  static int[] target(Node n, int[] inShape, long[] spec) {
    boolean allowZero = n.intAttr("allowzero", 0) != 0;
    int[] out = new int[spec.length];
    int inferred = -1;
    long known = 1;
    for (int i = 0; i < spec.length; i++) {
      long s = spec[i];
      if (s == -1) {
        if (inferred >= 0) {
          throw new CondenseException("node " + n.label() + ": Reshape shape has more than one -1");
        }
        inferred = i;
        continue;
      }
      if (s == 0 && !allowZero) {
        if (i >= inShape.length) {
          throw new CondenseException("node " + n.label() + ": Reshape copies dim " + i + " the input lacks");
        }
        s = inShape[i];
      }
      if (s < 0) {
        throw new CondenseException("node " + n.label() + ": invalid Reshape size " + s);
      }
      out[i] = (int) s;
      known *= s;
    }
    long total = Tensor.numel(inShape);
    if (inferred >= 0) {
      if (known == 0 || total % known != 0) {
        throw new CondenseException("node " + n.label() + ": cannot reshape " + Arrays.toString(inShape)
            + " to " + Arrays.toString(spec));
      }
      out[inferred] = (int) (total / known);
    } else if (known != total) {
      throw new CondenseException("node " + n.label() + ": cannot reshape " + Arrays.toString(inShape)
          + " (" + total + " elements) to " + Arrays.toString(out));
    }
    return out;
  }

  @Override
  public int batchShapeSlot() {
    return 1;
  }

  @Override
  public boolean batchShapeKeepsOrder() {
    return true;
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    return in.get(0).reshape(target(n, in.get(0).shape(), in.get(1).toLongs()));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.RESHAPE;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot != 1;
  }
}
