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
 * ONNX Where: X where the bool condition holds, else Y, all three broadcast together. Folded on
 * constants (shape code, attention masks); on run-time float values the engine selects element
 * by element, and the gradient goes to the input each element was taken from.
 */
final class Where implements Op {

  @Override
  public String type() {
    return "Where";
  }

  @Override
  public int since() {
    return 9; // Where-16 only widens the types
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_BINARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 3, 3);
    if (in.get(0).dtype() != DType.BOOL) {
      throw new CondenseException("node " + n.label() + ": Where's condition must be bool, got " + in.get(0));
    }
    requireSameType(n, in.get(1), in.get(2));
    int[] s = outShape(n, in.get(0).shape(), in.get(1).shape(), in.get(2).shape());
    return List.of(new ValueType(in.get(1).dtype(), s));
  }

  /** The broadcast output shape of the three inputs' shapes. */
  static int[] outShape(Node n, int[] c, int[] x, int[] y) {
    return Broadcast.shape(Broadcast.shape(c, x, n), y, n);
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor c = in.get(0);
    Tensor x = in.get(1);
    Tensor y = in.get(2);
    int[] out = outShape(n, c.shape(), x.shape(), y.shape());
    int[] ic = Broadcast.sourceIndex(c.shape(), out);
    int[] ix = Broadcast.sourceIndex(x.shape(), out);
    int[] iy = Broadcast.sourceIndex(y.shape(), out);
    byte[] cond = c.bytes();
    if (x.dtype() == DType.FLOAT) {
      float[] a = x.floats();
      float[] b = y.floats();
      float[] r = new float[ic.length];
      for (int o = 0; o < r.length; o++) {
        r[o] = cond[ic[o]] != 0 ? a[ix[o]] : b[iy[o]];
      }
      return Tensor.of(r, out);
    }
    long[] a = x.toLongs();
    long[] b = y.toLongs();
    long[] r = new long[ic.length];
    for (int o = 0; o < r.length; o++) {
      r[o] = cond[ic[o]] != 0 ? a[ix[o]] : b[iy[o]];
    }
    return Cast.to(Tensor.ofLongs(r, out), x.dtype());
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot != 0;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.where(n);
  }
}
