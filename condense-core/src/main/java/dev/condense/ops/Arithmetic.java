package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireSameType;

import dev.condense.graph.Broadcast;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Add, Sub, Mul and Div with NumPy broadcasting (residual adds, biases, scales). A same-shape Add
 * of float constants folds at load time: residual quantization's stages stored in an ONNX file.
 */
public final class Arithmetic implements Op {
  static final Arithmetic ADD = new Arithmetic("Add", BinaryMath.ADD);
  static final Arithmetic SUB = new Arithmetic("Sub", BinaryMath.SUB);
  static final Arithmetic MUL = new Arithmetic("Mul", BinaryMath.MUL);
  static final Arithmetic DIV = new Arithmetic("Div", BinaryMath.DIV);

  private final String type;
  private final BinaryMath math;

  private Arithmetic(String type, BinaryMath math) {
    this.type = type;
    this.math = math;
  }

  /** The arithmetic this op does. */
  public BinaryMath math() {
    return math;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return 6; // -6 and -1 differ only by broadcast/axis/consumed_inputs, rewritten by LegacyForms; -7 is numpy broadcasting
  }

  @Override
  public IntegerForm integerForm() {
    return math == BinaryMath.ADD || math == BinaryMath.MUL ? IntegerForm.REQUANTIZED : IntegerForm.NONE; // QLinearAdd, QLinearMul
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_BINARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    requireSameType(n, in.get(0), in.get(1));
    return List.of(new ValueType(in.get(0).dtype(), Broadcast.shape(in.get(0).shape(), in.get(1).shape(), n)));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    if (in.get(0).dtype() != DType.FLOAT && in.get(0).dtype() == in.get(1).dtype()) {
      return true; // shape arithmetic (c // groups, size + 1)
    }
    return math == BinaryMath.ADD && in.get(0).dtype() == DType.FLOAT && in.get(1).dtype() == DType.FLOAT
        && Arrays.equals(in.get(0).shape(), in.get(1).shape());
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    if (in.get(0).dtype() != DType.FLOAT) {
      return IntegerArithmetic.fold(n, math, in.get(0), in.get(1));
    }
    float[] a = in.get(0).floats();
    float[] b = in.get(1).floats();
    float[] r = new float[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = a[i] + b[i];
    }
    return Tensor.of(r, in.get(0).shape());
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.BROADCAST;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.binary(n, math);
  }
}
