package dev.condense.ops;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.List;

/** ONNX Gather of constant float data by constant indices (a codebook looked up by its indices). */
final class Gather extends LoadTimeOp {

  Gather() {
    super(2);
  }

  @Override
  public String type() {
    return "Gather";
  }

  @Override
  public int since() {
    return 13;
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor data = in.get(0);
    Tensor indices = in.get(1);
    int axis = (int) n.intAttr("axis", 0);
    int[] ds = data.shape();
    int r = ds.length;
    if (axis < 0) {
      axis += r;
    }
    if (axis < 0 || axis >= r) {
      throw new CondenseException("node " + n.label() + ": Gather axis out of range");
    }
    if (data.dtype() != DType.FLOAT) {
      throw new CondenseException("node " + n.label() + ": Condense gathers float data only");
    }
    long[] idx = indices.toLongs();
    int[] is = indices.shape();
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= ds[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < r; i++) {
      inner *= ds[i];
    }
    int len = ds[axis];
    int[] os = new int[r - 1 + is.length];
    System.arraycopy(ds, 0, os, 0, axis);
    System.arraycopy(is, 0, os, axis, is.length);
    System.arraycopy(ds, axis + 1, os, axis + is.length, r - axis - 1);
    float[] src = data.floats();
    float[] out = new float[(int) Tensor.numel(os)];
    int at = 0;
    for (int o = 0; o < outer; o++) {
      for (long k : idx) {
        long j = k < 0 ? k + len : k;
        if (j < 0 || j >= len) {
          throw new CondenseException("node " + n.label() + ": Gather index " + k + " out of range for size " + len);
        }
        System.arraycopy(src, (int) ((o * (long) len + j) * inner), out, at, inner);
        at += inner;
      }
    }
    return Tensor.of(out, os);
  }
}
