package dev.condense.data;

import dev.condense.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One array read from a {@code .npy} file (or an {@code .npz} entry): its shape, element type and
 * elements, held as the file's bytes in C (row-major) order — a Fortran-order file is reordered
 * once when read — and converted only when asked: exactly ({@link #getLong}, {@link #getDouble})
 * or narrowed to the float32 a model reads ({@link #toFloats}, rounding as NumPy's
 * {@code astype(float32)} does).
 */
public final class NpyArray {
  private final String name;
  private final NpyType type;
  private final int[] shape;
  private final ByteBuffer data;
  private final byte[] bytes;

  NpyArray(String name, NpyType type, ByteOrder order, int[] shape, byte[] bytes) {
    this.name = name;
    this.type = type;
    this.shape = shape.clone();
    this.bytes = bytes;
    this.data = ByteBuffer.wrap(bytes).order(order);
  }

  /** The file (and the array inside an .npz) the array came from, for messages. */
  public String name() {
    return name;
  }

  public NpyType type() {
    return type;
  }

  public int[] shape() {
    return shape.clone();
  }

  /** Number of elements: the product of the shape. */
  public int count() {
    return bytes.length / type.size();
  }

  /** The shape as Python prints it: {@code (2, 3)}. */
  public String shapeText() {
    return NpyHeader.shapeText(shape);
  }

  /**
   * Element {@code i} (C order) of an integer or bool array; a uint64 above {@link Long#MAX_VALUE}
   * comes back as its two's-complement bits (read it with {@link Long#toUnsignedString}).
   */
  public long getLong(int i) {
    return switch (type) {
      case BOOL, UINT8 -> data.get(i) & 0xffL;
      case INT8 -> data.get(i);
      case UINT16 -> data.getShort(2 * i) & 0xffffL;
      case INT16 -> data.getShort(2 * i);
      case UINT32 -> data.getInt(4 * i) & 0xffffffffL;
      case INT32 -> data.getInt(4 * i);
      case UINT64, INT64 -> data.getLong(8 * i);
      default -> throw new IllegalStateException(name + " holds " + type.numpyName() + ", not integers");
    };
  }

  /** Element {@code i} (C order) as a double: exact for every type but 64-bit integers over 2^53. */
  public double getDouble(int i) {
    return switch (type) {
      case FLOAT16 -> HalfFloats.halfToFloat(data.getShort(2 * i));
      case FLOAT32 -> data.getFloat(4 * i);
      case FLOAT64 -> data.getDouble(8 * i);
      case UINT64 -> unsignedToDouble(data.getLong(8 * i));
      default -> getLong(i);
    };
  }

  /** The elements (C order) as float32, each rounded to the nearest float as NumPy's astype does. */
  public float[] toFloats() {
    int n = count();
    float[] f = new float[n];
    switch (type) {
      case FLOAT32 -> data.asFloatBuffer().get(0, f);
      case FLOAT64 -> {
        for (int i = 0; i < n; i++) {
          f[i] = (float) data.getDouble(8 * i);
        }
      }
      case FLOAT16 -> {
        for (int i = 0; i < n; i++) {
          f[i] = HalfFloats.halfToFloat(data.getShort(2 * i));
        }
      }
      case UINT64 -> {
        for (int i = 0; i < n; i++) {
          f[i] = unsignedToFloat(data.getLong(8 * i));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          f[i] = getLong(i);
        }
      }
    }
    return f;
  }

  /** The raw elements of a one-byte array (bool, uint8, int8), C order; not a copy. */
  byte[] bytes() {
    if (type.size() != 1) {
      throw new IllegalStateException(name + " holds " + type.numpyName() + ", not bytes");
    }
    return bytes;
  }

  /** An unsigned 64-bit integer rounded once to the nearest float (halving keeps a sticky bit). */
  private static float unsignedToFloat(long v) {
    return v >= 0 ? v : 2f * ((v >>> 1) | (v & 1));
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : 2.0 * ((v >>> 1) | (v & 1));
  }
}
