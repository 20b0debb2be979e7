package dev.condense.ops;

import dev.condense.graph.Broadcast;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Constant folding of element-wise ops: one function applied element by element, or a left fold
 * of inputs under NumPy broadcasting. Floats are computed in double and rounded once; integer
 * tensors (shape arithmetic) in long, kept in their type.
 */
final class ElementwiseFold {
  private ElementwiseFold() {}

  /** {@code f} (floats) or {@code g} (integers) of every element of {@code t}. */
  static Tensor map(Tensor t, DoubleUnaryOperator f, LongUnaryOperator g) {
    if (t.dtype() == DType.FLOAT) {
      float[] v = t.floats();
      float[] r = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        r[i] = (float) f.applyAsDouble(v[i]);
      }
      return Tensor.of(r, t.shape());
    }
    long[] v = t.toLongs();
    for (int i = 0; i < v.length; i++) {
      v[i] = g.applyAsLong(v[i]);
    }
    return Cast.to(Tensor.ofLongs(v, t.shape()), t.dtype());
  }

  /**
   * {@code ((in0 ∘ in1) ∘ in2) …} broadcast to one shape, with {@code f} on floats and {@code g}
   * on integers (in the type of the first input); the float result passes through {@code finish}.
   */
  static Tensor reduce(Node n, List<Tensor> in, DoubleBinaryOperator f, DoubleUnaryOperator finish,
      LongBinaryOperator g) {
    int[] shape = in.get(0).shape();
    for (Tensor t : in) {
      shape = Broadcast.shape(shape, t.shape(), n);
    }
    int size = Tensor.checkedNumel(shape);
    boolean floats = in.get(0).dtype() == DType.FLOAT;
    double[] d = floats ? new double[size] : null;
    long[] l = floats ? null : new long[size];
    for (int k = 0; k < in.size(); k++) {
      Tensor t = in.get(k);
      int[] src = sources(t.shape(), shape, size);
      if (floats) {
        float[] v = t.floats();
        for (int o = 0; o < size; o++) {
          d[o] = k == 0 ? v[src[o]] : f.applyAsDouble(d[o], v[src[o]]);
        }
      } else {
        long[] v = t.toLongs();
        for (int o = 0; o < size; o++) {
          l[o] = k == 0 ? v[src[o]] : g.applyAsLong(l[o], v[src[o]]);
        }
      }
    }
    if (!floats) {
      return Cast.to(Tensor.ofLongs(l, shape), in.get(0).dtype());
    }
    float[] r = new float[size];
    for (int o = 0; o < size; o++) {
      r[o] = (float) finish.applyAsDouble(d[o]);
    }
    return Tensor.of(r, shape);
  }

  /** Whether every input has the first one's type, and that type is float or {@code integers} allows it. */
  static boolean sameType(List<Tensor> in, boolean integers) {
    DType t = in.get(0).dtype();
    return in.stream().allMatch(x -> x.dtype() == t) && (t == DType.FLOAT || integers);
  }

  /** The flat index in a tensor of shape {@code src} that each element of the broadcast {@code out} reads. */
  private static int[] sources(int[] src, int[] out, int size) {
    int[] strides = Broadcast.strides(src, out);
    int[] r = new int[size];
    for (int o = 0; o < size; o++) {
      int rest = o;
      int s = 0;
      for (int a = out.length - 1; a >= 0; a--) {
        s += rest % out[a] * strides[a];
        rest /= out[a];
      }
      r[o] = s;
    }
    return r;
  }
}
