package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.Broadcast;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;

/** Add, Sub, Mul and Div of integer constants with broadcasting: the shape arithmetic exporters write. */
final class IntegerArithmetic {
  private IntegerArithmetic() {}

  /** {@code a op b} in a's integer type; Div truncates toward zero, as ONNX Runtime's integer Div. */
  static Tensor fold(Node n, BinaryMath math, Tensor a, Tensor b) {
    int[] out = Broadcast.shape(a.shape(), b.shape(), n);
    int[] ia = Broadcast.sourceIndex(a.shape(), out);
    int[] ib = Broadcast.sourceIndex(b.shape(), out);
    long[] x = a.toLongs();
    long[] y = b.toLongs();
    long[] r = new long[ia.length];
    for (int o = 0; o < r.length; o++) {
      long p = x[ia[o]];
      long q = y[ib[o]];
      if (math == BinaryMath.DIV && q == 0) {
        throw new CondenseException("node " + n.label() + ": integer division by zero");
      }
      r[o] = switch (math) {
        case ADD -> p + q;
        case SUB -> p - q;
        case MUL -> p * q;
        case DIV -> p / q;
        default -> throw new CondenseException("node " + n.label() + ": " + math + " of integers is not supported");
      };
    }
    return Cast.to(Tensor.ofLongs(r, out), a.dtype());
  }
}
