package dev.condense.engine.cpu;

import dev.condense.graph.DType;
import dev.condense.graph.Tensor;
import dev.condense.ops.LinearQuantization;

/**
 * The storage of one value inside a {@link Plan}: its shape, its float data and, during
 * training, its gradient. Views (Reshape, Flatten, Identity) share the arrays of the value they
 * view; weights share the session's arrays. Values that are not float32 exist only as constants
 * ({@link #constant}), e.g. Reshape's target shape.
 */
final class Buf {
  final String name;
  final int[] shape;
  final int size;
  /** The element type the graph gives the value; the engine holds it as floats (an int64 index exactly, a bool mask as 0/1). */
  DType dtype = DType.FLOAT;
  float[] data;
  float[] grad;
  Tensor constant;

  Buf(String name, int[] shape) {
    this.name = name;
    this.shape = shape.clone();
    this.size = (int) Tensor.numel(shape);
  }

  int dim(int axis) {
    return shape[axis];
  }

  int rank() {
    return shape.length;
  }

  boolean needsGrad() {
    return grad != null;
  }

  /** The value as a tensor of its graph type: a copy of the data (int64 values converted), or the constant. */
  Tensor value() {
    if (data == null || (constant != null && constant.dtype() != DType.FLOAT)) {
      return constant;
    }
    if (dtype == DType.BOOL) {
      byte[] r = new byte[size];
      for (int i = 0; i < size; i++) {
        r[i] = (byte) (data[i] != 0 ? 1 : 0);
      }
      return Tensor.ofBytes(DType.BOOL, r, shape);
    }
    if (dtype == DType.UINT8 || dtype == DType.INT8 || dtype == DType.INT32) {
      return LinearQuantization.integers(data, dtype, shape); // QuantizeLinear's integers, held as floats
    }
    if (dtype != DType.INT64) {
      return Tensor.of(data.clone(), shape);
    }
    long[] v = new long[size];
    for (int i = 0; i < size; i++) {
      v[i] = (long) data[i];
    }
    return Tensor.ofLongs(v, shape);
  }
}
