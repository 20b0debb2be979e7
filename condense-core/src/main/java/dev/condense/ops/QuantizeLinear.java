package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX QuantizeLinear and DequantizeLinear (opset 10 per tensor; 13 adds per-axis scales; 21
 * adds int4/uint4 and blocks of {@code block_size} elements along the axis, each with its own
 * scale): the pair an INT8 model in QDQ form is written with, which ONNX Runtime fuses into
 * integer kernels, and the form of a 4-bit weight before a MatMul. Quantize produces uint8, int8,
 * uint4 or int4 (the zero point's type); Dequantize reads those or int32 (a bias, whose zero
 * point must be 0). Scale and zero point are constants of the model (they
 * describe the value, like a shape input). On run-time values the engine computes both ops on
 * integers held as floats; a dequantized constant (an int8 weight) is decoded once at load. The
 * gradient is the straight-through estimator (Bengio et al. 2013, as PyTorch's fake quantization):
 * it passes, scaled by 1/scale through Quantize and by scale through Dequantize, where the value
 * is representable and is zero where Quantize saturated.
 */
final class QuantizeLinear implements Op {
  static final QuantizeLinear QUANTIZE = new QuantizeLinear(true);
  static final QuantizeLinear DEQUANTIZE = new QuantizeLinear(false);

  private final boolean quantize;

  private QuantizeLinear(boolean quantize) {
    this.quantize = quantize;
  }

  @Override
  public String type() {
    return quantize ? "QuantizeLinear" : "DequantizeLinear";
  }

  @Override
  public int since() {
    return 10; // opset 10's per-tensor form is opset 13's with a scalar scale (13 adds the axis attribute)
  }

  @Override
  public Kind kind() {
    return Kind.CONVERSION;
  }

  /** The integer type of a node: its zero point's, uint8 without one (ONNX QuantizeLinear-13). */
  private static DType integerType(Node n, List<ValueType> in, int dataSlot) {
    DType t = in.size() > 2 && in.get(2) != null ? in.get(2).dtype() : null;
    if (t == null) {
      t = dataSlot < 0 ? DType.UINT8 : in.get(0).dtype();
    }
    boolean ok = t == DType.UINT8 || t == DType.INT8 || t.isNibble() || (dataSlot >= 0 && t == DType.INT32);
    if (!ok) {
      throw new CondenseException("node " + n.label() + ": " + (dataSlot < 0 ? "quantizes to" : "dequantizes")
          + " " + t.label() + "; Condense supports uint8, int8, uint4, int4" + (dataSlot < 0 ? "" : " and int32"));
    }
    return t;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 3);
    if (in.get(1).dtype() != DType.FLOAT) {
      throw new CondenseException("node " + n.label() + ": the scale must be float, got " + in.get(1).dtype().label());
    }
    if (in.size() > 2 && in.get(2) != null && in.get(2).size() != in.get(1).size()) {
      throw new CondenseException("node " + n.label() + ": the zero point has " + in.get(2).size()
          + " elements, the scale " + in.get(1).size());
    }
    ValueType x = in.get(0);
    if (quantize) {
      if (x.dtype() != DType.FLOAT) {
        throw new CondenseException("node " + n.label() + ": quantizes float, got " + x.dtype().label());
      }
      return List.of(new ValueType(integerType(n, in, -1), x.shape()));
    }
    DType t = integerType(n, in, 0);
    if (in.size() > 2 && in.get(2) != null && in.get(2).dtype() != x.dtype()) {
      throw new CondenseException("node " + n.label() + ": input is " + x.dtype().label() + ", its zero point "
          + in.get(2).dtype().label());
    }
    if (t == DType.INT32) {
      Tensor zp = in.size() > 2 ? constants.apply(n.input(2)) : null;
      if (zp != null && java.util.Arrays.stream(zp.toLongs()).anyMatch(v -> v != 0)) {
        throw new CondenseException("node " + n.label() + ": an int32 input's zero point must be 0 (ONNX DequantizeLinear)");
      }
    }
    return List.of(new ValueType(DType.FLOAT, x.shape()));
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return quantize && slot == 0; // scale and zero point describe the value; Dequantize's data is integer
  }

  @Override
  public boolean decodesWeights() {
    return !quantize; // an int8 weight is decoded into floats once, at load
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor x = in.get(0);
    Tensor zp = in.size() > 2 ? in.get(2) : null;
    DType t = quantize ? (zp == null ? DType.UINT8 : zp.dtype()) : x.dtype();
    LinearQuantization map = LinearQuantization.of(n, in.get(1), zp, x.shape(), t);
    if (!quantize) {
      long[] q = x.toLongs(); // exact for int32 biases beyond 2^24
      float[] y = new float[q.length];
      for (int i = 0; i < q.length; i++) {
        int c = map.slice(i);
        y[i] = (float) (q[i] - map.zeroPoint()[c]) * map.scale()[c];
      }
      return Tensor.of(y, x.shape());
    }
    float[] q = new float[x.size()];
    map.quantize(x.toFloats(), q);
    return LinearQuantization.integers(q, t, x.shape());
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.linearQuantization(n, quantize);
  }
}
