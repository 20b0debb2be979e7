package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.Arrays;

/**
 * A dense n-dimensional array in row-major order: an initializer, a constant, a model input or
 * output. The element type decides the backing array: {@code float[]} for FLOAT, {@code long[]}
 * for INT64, {@code int[]} for INT32, {@code byte[]} for UINT8, INT8 and BOOL (0 or 1). There
 * are no FLOAT16, BFLOAT16 or DOUBLE tensors: such weights are read into FLOAT tensors, and the
 * graph keeps the type the file stored them in ({@link Graph#storage}).
 *
 * <p>Tensors are values: the accessors hand out the backing array without copying (weights are
 * large and read often), and no code may write into an array it got from a tensor. To change
 * data, copy it ({@link #floatsCopy()}) and build a new tensor.
 */
public final class Tensor {
  private final DType dtype;
  private final int[] shape;
  private final Object data;

  private Tensor(DType dtype, int[] shape, Object data, int length) {
    this.dtype = dtype;
    this.shape = shape.clone();
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    long n = numel(shape);
    if (n != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + length);
    }
    this.data = data;
  }

  public static Tensor of(float[] data, int... shape) {
    return new Tensor(DType.FLOAT, shape, data, data.length);
  }

  public static Tensor ofLongs(long[] data, int... shape) {
    return new Tensor(DType.INT64, shape, data, data.length);
  }

  public static Tensor ofInts(int[] data, int... shape) {
    return new Tensor(DType.INT32, shape, data, data.length);
  }

  /**
   * A UINT8, INT8, BOOL, UINT4 or INT4 tensor, one element per byte (BOOL elements are 0 or 1,
   * UINT4 0…15, INT4 −8…7).
   */
  public static Tensor ofBytes(DType dtype, byte[] data, int... shape) {
    if (!dtype.isByte()) {
      throw new IllegalArgumentException("ofBytes needs UINT8, INT8, BOOL, UINT4 or INT4, got " + dtype);
    }
    if (dtype.isNibble()) {
      int lo = dtype == DType.INT4 ? -8 : 0;
      for (byte v : data) {
        if (v < lo || v > lo + 15) {
          throw new IllegalArgumentException(v + " is not a " + dtype.label() + " value");
        }
      }
    }
    return new Tensor(dtype, shape, data, data.length);
  }

  /** A tensor of zeros. */
  public static Tensor zeros(DType dtype, int... shape) {
    int n = checkedNumel(shape);
    return switch (dtype) {
      case FLOAT -> of(new float[n], shape);
      case INT64 -> ofLongs(new long[n], shape);
      case INT32 -> ofInts(new int[n], shape);
      case UINT8, INT8, BOOL, UINT4, INT4 -> ofBytes(dtype, new byte[n], shape);
      case FLOAT16, BFLOAT16, DOUBLE -> throw new IllegalArgumentException(
          "tensors hold " + dtype + " values as float32 (" + DType.FLOAT + ")");
    };
  }

  /** Number of elements of a shape, as a long so that overflow can be checked. */
  public static long numel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** Number of elements of a shape, or an error if it does not fit a Java array. */
  public static int checkedNumel(int[] shape) {
    long n = numel(shape);
    if (n > Integer.MAX_VALUE - 8) {
      throw new CondenseException("tensor of shape " + Arrays.toString(shape) + " is too large ("
          + n + " elements; at most " + (Integer.MAX_VALUE - 8) + ")");
    }
    return (int) n;
  }

  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public int size() {
    return (int) numel(shape);
  }

  /** Bytes of the raw element data, as a file stores them (4-bit elements packed two to a byte). */
  public long byteSize() {
    return dtype.storedBytes(size());
  }

  /** The float data (shared, read-only by contract). */
  public float[] floats() {
    requireType(DType.FLOAT);
    return (float[]) data;
  }

  public float[] floatsCopy() {
    return floats().clone();
  }

  public long[] longs() {
    requireType(DType.INT64);
    return (long[]) data;
  }

  public int[] ints() {
    requireType(DType.INT32);
    return (int[]) data;
  }

  public byte[] bytes() {
    if (!dtype.isByte()) {
      throw new IllegalStateException("tensor is " + dtype + ", not a byte type");
    }
    return (byte[]) data;
  }

  /**
   * The elements as longs, whatever the integer type: shapes, axes and indices are read through
   * this. UINT8 is read unsigned.
   */
  public long[] toLongs() {
    return switch (dtype) {
      case INT64 -> longs().clone();
      case INT32 -> Arrays.stream(ints()).asLongStream().toArray();
      case UINT8, BOOL, UINT4 -> {
        byte[] b = bytes();
        long[] r = new long[b.length];
        for (int i = 0; i < b.length; i++) {
          r[i] = b[i] & 0xff;
        }
        yield r;
      }
      case INT8, INT4 -> {
        byte[] b = bytes();
        long[] r = new long[b.length];
        for (int i = 0; i < b.length; i++) {
          r[i] = b[i];
        }
        yield r;
      }
      case FLOAT, FLOAT16, BFLOAT16, DOUBLE -> throw new IllegalStateException("float tensor read as integers");
    };
  }

  /** The elements converted to float (integers exactly where they fit). */
  public float[] toFloats() {
    if (dtype == DType.FLOAT) {
      return floats().clone();
    }
    long[] l = toLongs();
    float[] f = new float[l.length];
    for (int i = 0; i < l.length; i++) {
      f[i] = l[i];
    }
    return f;
  }

  /** The same data under another shape with as many elements. */
  public Tensor reshape(int... newShape) {
    return new Tensor(dtype, newShape, data, size());
  }

  private void requireType(DType t) {
    if (dtype != t) {
      throw new IllegalStateException("tensor is " + dtype + ", not " + t);
    }
  }

  /** Equal when type, shape and every element's bits are equal. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Tensor t) || t.dtype != dtype || !Arrays.equals(t.shape, shape)) {
      return false;
    }
    return switch (dtype) {
      case FLOAT, FLOAT16, BFLOAT16, DOUBLE -> Arrays.equals((float[]) data, (float[]) t.data);
      case INT64 -> Arrays.equals((long[]) data, (long[]) t.data);
      case INT32 -> Arrays.equals((int[]) data, (int[]) t.data);
      case UINT8, INT8, BOOL, UINT4, INT4 -> Arrays.equals((byte[]) data, (byte[]) t.data);
    };
  }

  @Override
  public int hashCode() {
    return 31 * dtype.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return dtype.name().toLowerCase() + Arrays.toString(shape);
  }
}
