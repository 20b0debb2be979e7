package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX QLinearConv (opset 10): a convolution on 8-bit integers, the kernel a QDQ Conv becomes in
 * an integer runtime. Inputs x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale,
 * y_zero_point and an optional int32 bias B at scale {@code x_scale · w_scale}; attributes as
 * Conv's. Per the spec, the products {@code (x − x_zp)(w − w_zp)} are summed in int32 with B and
 * the sum is requantized, {@code y = saturate(round(acc · x_scale · w_scale / y_scale) + y_zp)}.
 * It is inference only and not a layer for the passes: its weight is integer and frozen, so
 * nothing prunes, retrains or re-quantizes it.
 */
final class QLinearConv implements Op {

  @Override
  public String type() {
    return "QLinearConv";
  }

  @Override
  public int since() {
    return 10;
  }

  @Override
  public Kind kind() {
    return Kind.CONVERSION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 8, 9);
    DType x = in.get(0).dtype();
    DType w = in.get(3).dtype();
    DType y = in.get(7).dtype();
    for (DType t : new DType[] {x, w, y}) {
      if (t != DType.UINT8 && t != DType.INT8) {
        throw new CondenseException("node " + n.label() + ": QLinearConv reads and writes uint8 or int8, got " + t.label());
      }
    }
    requireType(n, in, 2, x, "x_zero_point");
    requireType(n, in, 5, w, "w_zero_point");
    for (int s : new int[] {1, 4, 6}) {
      if (in.get(s).dtype() != DType.FLOAT) {
        throw new CondenseException("node " + n.label() + ": input " + s + " (a scale) must be float, got " + in.get(s).dtype().label());
      }
    }
    if (in.get(1).size() != 1 || in.get(6).size() != 1) {
      throw new CondenseException("node " + n.label() + ": x_scale and y_scale must be scalars (one per tensor)");
    }
    boolean bias = in.size() > 8 && in.get(8) != null;
    if (bias && in.get(8).dtype() != DType.INT32) {
      throw new CondenseException("node " + n.label() + ": the bias must be int32, got " + in.get(8).dtype().label());
    }
    List<ValueType> conv = new ArrayList<>(List.of(ValueType.floats(in.get(0).shape()), ValueType.floats(in.get(3).shape())));
    if (bias) {
      conv.add(ValueType.floats(in.get(8).shape()));
    }
    int[] out = new Conv().infer(n, conv, constants).get(0).shape();
    int channels = in.get(3).dim(0);
    if (in.get(4).size() != 1 && in.get(4).size() != channels || in.get(5).size() != in.get(4).size()) {
      throw new CondenseException("node " + n.label() + ": w_scale and w_zero_point must have 1 or " + channels
          + " elements (per output channel), got " + in.get(4).size() + " and " + in.get(5).size());
    }
    return List.of(new ValueType(y, out));
  }

  private static void requireType(Node n, List<ValueType> in, int slot, DType t, String what) {
    if (in.get(slot).dtype() != t || in.get(slot).size() < 1) {
      throw new CondenseException("node " + n.label() + ": " + what + " must be " + t.label() + " like its value, got "
          + in.get(slot).dtype().label());
    }
  }

  /** Each output element sums C/group × kernel products, as Conv's. */
  @Override
  public long multiplyAdds(Node n, ShapeInference.Result shapes) {
    return MultiplyAdds.perWeightRow(shapes.type(n.output(0)), shapes.type(n.input(3)).shape());
  }

  /** No input is float data: scales and zero points describe the integers, the rest are integers. */
  @Override
  public boolean isFloatSlot(int slot) {
    return false;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.qlinearConvolution(n);
  }
}
