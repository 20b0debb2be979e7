package dev.condense.engine.cpu;

import dev.condense.graph.Tensor;

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
}
