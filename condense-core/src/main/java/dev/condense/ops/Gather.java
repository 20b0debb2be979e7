package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Axis;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Gather along one axis: a codebook looked up by its indices and shape values picked from a
 * Shape fold at load time; run-time float data by constant indices (a class token
 * {@code x[:, 0]}) is copied by the engine, with the gradient scattered back; and a table by
 * run-time indices (nn.Embedding's token ids), whose table is a parameter that trains by the
 * scatter-add of its rows' gradients.
 */
final class Gather extends CopyOp {

  @Override
  public String type() {
    return "Gather";
  }

  @Override
  public int since() {
    return 1; // Gather-11 only added negative indices (undefined before), 13 bfloat16
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    int[] ds = in.get(0).shape();
    int[] is = in.get(1).shape();
    int axis = Axis.of(n, n.intAttr("axis", 0), ds.length);
    int r = ds.length;
    int[] os = new int[r - 1 + is.length];
    System.arraycopy(ds, 0, os, 0, axis);
    System.arraycopy(is, 0, os, axis, is.length);
    System.arraycopy(ds, axis + 1, os, axis + is.length, r - axis - 1);
    return List.of(new ValueType(in.get(0).dtype(), os));
  }

  @Override
  public int[] sources(Node n, int[] ds, Function<String, Tensor> constants) {
    Tensor indices = constants.apply(n.input(1));
    if (indices == null) {
      throw new CondenseException("node " + n.label() + ": Gather's indices must be constant");
    }
    long[] idx = indices.toLongs();
    int axis = Axis.of(n, n.intAttr("axis", 0), ds.length);
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= ds[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < ds.length; i++) {
      inner *= ds[i];
    }
    int len = ds[axis];
    int[] src = new int[outer * idx.length * inner];
    int at = 0;
    for (int o = 0; o < outer; o++) {
      for (long k : idx) {
        long j = k < 0 ? k + len : k;
        if (j < 0 || j >= len) {
          throw new CondenseException("node " + n.label() + ": Gather index " + k + " out of range for size " + len);
        }
        int from = (int) ((o * (long) len + j) * inner);
        for (int t = 0; t < inner; t++) {
          src[at++] = from + t;
        }
      }
    }
    return src;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }

  @Override
  public boolean isIndexSlot(int slot) {
    return slot == 1;
  }

  /** A constant table looked up by run-time indices is an embedding: it trains. */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot == 0;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.gather(n, this);
  }
}
