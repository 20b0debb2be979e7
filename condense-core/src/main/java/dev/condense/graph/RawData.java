package dev.condense.graph;

import dev.condense.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tensors as raw little-endian bytes, the layout ONNX's {@code raw_data} and external data and
 * the {@code .cdz} format's dense tensors share. FLOAT16, BFLOAT16 and DOUBLE bytes are read into
 * float32 tensors and a float32 tensor can be written in any of them (see {@link DType}).
 */
public final class RawData {
  private RawData() {}

  public static byte[] toLittleEndian(Tensor t) {
    return toLittleEndian(t, t.dtype());
  }

  /**
   * The bytes of {@code t} stored as {@code as}: its own type, or for a float tensor FLOAT16 or
   * BFLOAT16 (rounded to nearest even, as NumPy's {@code astype}) or DOUBLE (exact).
   */
  public static byte[] toLittleEndian(Tensor t, DType as) {
    if (as != t.dtype() && !(t.dtype() == DType.FLOAT && as.isFloat())) {
      throw new IllegalArgumentException(t + " cannot be stored as " + as);
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(as.storedBytes(t.size()))).order(ByteOrder.LITTLE_ENDIAN);
    switch (as) {
      case FLOAT -> b.asFloatBuffer().put(t.floats());
      case INT64 -> b.asLongBuffer().put(t.longs());
      case INT32 -> b.asIntBuffer().put(t.ints());
      case UINT8, INT8, BOOL -> b.put(t.bytes());
      case UINT4, INT4 -> b.put(packNibbles(t.bytes()));
      case FLOAT16, BFLOAT16 -> {
        float[] f = t.floats();
        for (float v : f) {
          b.putShort(as == DType.FLOAT16 ? HalfFloats.floatToHalf(v) : HalfFloats.floatToBfloat16(v));
        }
      }
      case DOUBLE -> {
        float[] f = t.floats();
        for (float v : f) {
          b.putDouble(v);
        }
      }
    }
    return b.array();
  }

  /**
   * A tensor of {@code shape} read from the next {@code dtype.storedBytes(numel(shape))} bytes of
   * {@code b} (the caller checks they are there). FLOAT16, BFLOAT16 and DOUBLE give a FLOAT
   * tensor (doubles rounded to the nearest float).
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
      case UINT4, INT4 -> {
        byte[] packed = new byte[(int) dtype.storedBytes(n)];
        le.get(packed);
        yield Tensor.ofBytes(dtype, unpackNibbles(packed, n, dtype == DType.INT4), shape);
      }
      case FLOAT16, BFLOAT16 -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          short h = le.getShort(2 * i);
          a[i] = dtype == DType.FLOAT16 ? HalfFloats.halfToFloat(h) : HalfFloats.bfloat16ToFloat(h);
        }
        yield Tensor.of(a, shape);
      }
      case DOUBLE -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = (float) le.getDouble(8 * i);
        }
        yield Tensor.of(a, shape);
      }
    };
  }

  /**
   * 4-bit elements two to a byte, element {@code 2i} in the low nibble of byte {@code i} and
   * {@code 2i+1} in its high nibble, the last high nibble 0 for an odd count (ONNX IR, "4 bit
   * integer types": "the first element is stored in the 4 LSB").
   */
  public static byte[] packNibbles(byte[] values) {
    byte[] r = new byte[(values.length + 1) / 2];
    for (int i = 0; i < values.length; i++) {
      r[i / 2] |= (byte) ((values[i] & 0xf) << (4 * (i % 2)));
    }
    return r;
  }

  /** The inverse of {@link #packNibbles}: {@code n} elements, sign-extended if {@code signed}. */
  public static byte[] unpackNibbles(byte[] packed, int n, boolean signed) {
    byte[] r = new byte[n];
    for (int i = 0; i < n; i++) {
      int v = (packed[i / 2] >> (4 * (i % 2))) & 0xf;
      r[i] = (byte) (signed && v > 7 ? v - 16 : v);
    }
    return r;
  }
}
