package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireSameType;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX ScatterND (opset 11; 13 adds bfloat16, 16 and 18 the {@code reduction} attribute): data
 * with slices replaced by, or added to, the updates at int64 index tuples. PyTorch exports slice
 * assignment ({@code mask[:, h, w, :] = k}, swin's shifted-window mask) as a chain of them, which
 * folds at load time; on run-time float data and updates (with constant indices) the engine
 * scatters, and backward gives the data the output's gradient (zero where overwritten) and the
 * updates the gradient gathered at their places ({@link ScatterSlices}).
 */
final class ScatterND implements Op {

  @Override
  public String type() {
    return "ScatterND";
  }

  @Override
  public int since() {
    return 11;
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 3, 3);
    ScatterSlices.adds(n);
    ValueType data = in.get(0);
    ValueType indices = in.get(1);
    requireSameType(n, data, in.get(2));
    if (indices.dtype() != DType.INT64) {
      throw new CondenseException("node " + n.label() + ": ScatterND's indices must be int64, got " + indices.dtype());
    }
    int[] ds = data.shape();
    int[] is = indices.shape();
    int k = is.length == 0 ? -1 : is[is.length - 1];
    if (k < 1 || k > ds.length) {
      throw new CondenseException("node " + n.label() + ": ScatterND's indices " + indices
          + " must end in an axis of length 1 to the data's rank " + ds.length);
    }
    // Spec: updates.shape = indices.shape[0:q-1] ++ data.shape[k:r].
    int[] expected = new int[is.length - 1 + ds.length - k];
    System.arraycopy(is, 0, expected, 0, is.length - 1);
    System.arraycopy(ds, k, expected, is.length - 1, ds.length - k);
    if (!Arrays.equals(expected, in.get(2).shape())) {
      throw new CondenseException("node " + n.label() + ": ScatterND's updates " + in.get(2)
          + " do not match indices " + indices + " into data " + data + " (expected shape " + Arrays.toString(expected) + ")");
    }
    return List.of(data);
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return in.get(0).dtype() == in.get(2).dtype();
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor data = in.get(0);
    ScatterSlices slices = ScatterSlices.of(n, data.shape(), in.get(1));
    if (data.dtype() == DType.FLOAT) {
      float[] r = data.floats().clone();
      slices.apply(r, in.get(2).floats());
      return Tensor.of(r, data.shape());
    }
    long[] r = data.toLongs();
    slices.apply(r, in.get(2).toLongs());
    return Cast.to(Tensor.ofLongs(r, data.shape()), data.dtype());
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot != 1;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.scatter(n);
  }
}
