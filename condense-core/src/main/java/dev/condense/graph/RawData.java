package dev.condense.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tensors as raw little-endian bytes, the layout ONNX's {@code raw_data} and the {@code .cdz}
 * format's dense tensors share.
 */
public final class RawData {
  private RawData() {}

  public static byte[] toLittleEndian(Tensor t) {
    ByteBuffer b = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    switch (t.dtype()) {
      case FLOAT -> b.asFloatBuffer().put(t.floats());
      case INT64 -> b.asLongBuffer().put(t.longs());
      case INT32 -> b.asIntBuffer().put(t.ints());
      case UINT8, INT8, BOOL -> b.put(t.bytes());
    }
    return b.array();
  }

  /**
   * A tensor of {@code shape} read from the next {@code numel(shape) × dtype.bytes()} bytes of
   * {@code b} (the caller checks they are there).
   */
  public static Tensor fromLittleEndian(ByteBuffer b, DType dtype, int[] shape) {
    int n = (int) Tensor.numel(shape);
    ByteBuffer le = b.slice().order(ByteOrder.LITTLE_ENDIAN);
    return switch (dtype) {
      case FLOAT -> {
        float[] a = new float[n];
        le.asFloatBuffer().get(a);
        yield Tensor.of(a, shape);
      }
      case INT64 -> {
        long[] a = new long[n];
        le.asLongBuffer().get(a);
        yield Tensor.ofLongs(a, shape);
      }
      case INT32 -> {
        int[] a = new int[n];
        le.asIntBuffer().get(a);
        yield Tensor.ofInts(a, shape);
      }
      case UINT8, INT8, BOOL -> {
        byte[] a = new byte[n];
        le.get(a);
        yield Tensor.ofBytes(dtype, a, shape);
      }
    };
  }
}
