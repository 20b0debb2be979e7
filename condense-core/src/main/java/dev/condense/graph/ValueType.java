package dev.condense.graph;

import java.util.Arrays;

/** Element type and concrete shape of a value, as shape inference computes it. */
public record ValueType(DType dtype, int[] shape) {

  public ValueType {
    shape = shape.clone();
  }

  public static ValueType floats(int... shape) {
    return new ValueType(DType.FLOAT, shape);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public long size() {
    return Tensor.numel(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueType v && v.dtype == dtype && Arrays.equals(v.shape, shape);
  }

  @Override
  public int hashCode() {
    return dtype.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return dtype.name().toLowerCase() + Arrays.toString(shape);
  }
}
