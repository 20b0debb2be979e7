package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;

/**
 * ONNX Range of constant scalars (start, limit, delta): exporters write it for index vectors of
 * shape code. Its length depends on its values, so Condense computes it at load time only.
 */
final class Range extends LoadTimeOp {

  Range() {
    super(3);
  }

  @Override
  public String type() {
    return "Range";
  }

  @Override
  public int since() {
    return 11;
  }

  @Override
  public Kind kind() {
    return Kind.GENERATOR;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return false;
  }

  /** max(ceil((limit - start) / delta), 0), in double: at worst an overestimate of a few elements. */
  @Override
  public long foldedElements(Node n, List<Tensor> in, ValueType inferred) {
    if (in.size() != 3 || in.stream().anyMatch(x -> x.size() != 1)) {
      return 0; // fold names the fault
    }
    double start = scalar(in.get(0));
    double c = Math.ceil((scalar(in.get(1)) - start) / scalar(in.get(2)));
    return !(c >= 0) ? 0 : c >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) c;
  }

  private static double scalar(Tensor t) {
    return t.dtype() == DType.FLOAT ? t.floats()[0] : t.toLongs()[0];
  }

  /** ONNX Range-11: max(ceil((limit - start) / delta), 0) elements start + i·delta. */
  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    DType t = in.get(0).dtype();
    for (Tensor x : in) {
      if (x.size() != 1 || x.dtype() != t) {
        throw new CondenseException("node " + n.label() + ": Range takes three scalars of one type");
      }
    }
    if (t == DType.FLOAT) {
      float start = in.get(0).floats()[0];
      float delta = in.get(2).floats()[0];
      int count = count(n, Math.ceil(((double) in.get(1).floats()[0] - start) / delta));
      float[] r = new float[count];
      for (int i = 0; i < count; i++) {
        r[i] = start + i * delta;
      }
      return Tensor.of(r, count);
    }
    long start = in.get(0).toLongs()[0];
    long delta = in.get(2).toLongs()[0];
    if (delta == 0) {
      throw new CondenseException("node " + n.label() + ": Range's delta is 0");
    }
    int count = count(n, Math.ceil((double) (in.get(1).toLongs()[0] - start) / delta));
    long[] r = new long[count];
    for (int i = 0; i < count; i++) {
      r[i] = start + i * delta;
    }
    return Cast.to(Tensor.ofLongs(r, count), t);
  }

  private static int count(Node n, double c) {
    if (!(c >= 1) || c > Integer.MAX_VALUE - 8) {
      throw new CondenseException("node " + n.label() + ": Range of " + (Double.isNaN(c) ? "NaN" : (long) Math.max(c, 0))
          + " elements; Condense runs no empty or oversized tensors");
    }
    return (int) c;
  }
}
