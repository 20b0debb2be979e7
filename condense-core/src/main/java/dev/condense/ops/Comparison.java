package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireSameType;

import dev.condense.CondenseException;
import dev.condense.graph.Broadcast;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Equal, Greater, Less (with broadcasting) and the logic ops And, Not: bool outputs, as in
 * exporters' shape checks and masks ({@code torch.where(x > t, ...)}). Folded on constants
 * (shape values); on run-time float data the engine computes a mask, through which no gradient
 * flows.
 */
final class Comparison implements Op {
  static final Comparison EQUAL = new Comparison("Equal", Logic.EQUAL);
  static final Comparison GREATER = new Comparison("Greater", Logic.GREATER);
  static final Comparison LESS = new Comparison("Less", Logic.LESS);
  static final Comparison AND = new Comparison("And", Logic.AND);
  static final Comparison NOT = new Comparison("Not", Logic.NOT);

  private final String type;
  private final Logic logic;

  private Comparison(String type, Logic logic) {
    this.type = type;
    this.logic = logic;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return logic == Logic.NOT ? 1 : 7; // opset 7 brought broadcasting; later versions widen types only
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_BINARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    if (logic.unary()) {
      requireInputs(n, in, 1, 1);
      requireBool(n, in.get(0));
      return List.of(new ValueType(DType.BOOL, in.get(0).shape()));
    }
    requireInputs(n, in, 2, 2);
    requireSameType(n, in.get(0), in.get(1));
    if (logic == Logic.AND) {
      requireBool(n, in.get(0));
    }
    return List.of(new ValueType(DType.BOOL, Broadcast.shape(in.get(0).shape(), in.get(1).shape(), n)));
  }

  private void requireBool(Node n, ValueType t) {
    if (t.dtype() != DType.BOOL) {
      throw new CondenseException("node " + n.label() + ": " + type + " takes bool inputs, got " + t);
    }
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor a = in.get(0);
    Tensor b = logic.unary() ? a : in.get(1);
    int[] out = Broadcast.shape(a.shape(), b.shape(), n);
    int[] ia = Broadcast.sourceIndex(a.shape(), out);
    int[] ib = Broadcast.sourceIndex(b.shape(), out);
    byte[] r = new byte[ia.length];
    if (a.dtype() == DType.FLOAT) {
      float[] x = a.floats();
      float[] y = b.floats();
      for (int o = 0; o < r.length; o++) {
        r[o] = (byte) (logic.test(x[ia[o]], y[ib[o]]) ? 1 : 0);
      }
    } else {
      long[] x = a.toLongs();
      long[] y = b.toLongs();
      for (int o = 0; o < r.length; o++) {
        r[o] = (byte) (logic.test(x[ia[o]], y[ib[o]]) ? 1 : 0);
      }
    }
    return Tensor.ofBytes(DType.BOOL, r, out);
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return logic != Logic.AND && logic != Logic.NOT; // And and Not read bool masks
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.logic(n, logic);
  }
}
