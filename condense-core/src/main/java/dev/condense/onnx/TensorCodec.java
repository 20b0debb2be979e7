package dev.condense.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.condense.CondenseException;
import dev.condense.HalfFloats;
import dev.condense.graph.DType;
import dev.condense.graph.RawData;
import dev.condense.graph.Storage;
import dev.condense.graph.Tensor;
import dev.condense.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import java.util.Arrays;
import java.util.List;

/**
 * Converts between ONNX {@code TensorProto} and {@link Tensor}, in one place for the reader and
 * the writer. Reading accepts every way ONNX stores elements: {@code raw_data} (little-endian),
 * external data ({@link ExternalData}) and the typed fields ({@code float_data}; {@code int64_data};
 * {@code double_data}; {@code int32_data}, which ONNX also uses for int8, uint8, bool and, one
 * 16-bit pattern per element, float16 and bfloat16). FLOAT16, BFLOAT16 and DOUBLE become float32
 * tensors, and the writer stores a tensor back in the type its {@link Storage} names (float32
 * rounded to nearest even). Writing uses {@code raw_data}: compact, and what PyTorch writes. Every
 * error names {@code where} the tensor sits (initializer, attribute, file).
 */
final class TensorCodec {

  private TensorCodec() {}

  /** The tensor a proto holds inside itself (no external data), or an error naming {@code where}. */
  static Tensor decode(TensorProto p, String where) {
    return decode(p, where, ExternalData.none());
  }

  /** The tensor a proto holds, its bytes in {@code external} where it says so. */
  static Tensor decode(TensorProto p, String where, ExternalData external) {
    if (p.hasSegment()) {
      throw new CondenseException(where + ": segmented tensors are not supported");
    }
    DType dtype = DType.fromOnnx(p.getDataType(), where);
    int[] shape = shape(p.getDimsList(), where);
    int n;
    try {
      n = Tensor.checkedNumel(shape);
    } catch (CondenseException e) {
      throw new CondenseException(where + ": " + e.getMessage(), e);
    }
    if (isExternal(p)) {
      return RawData.fromLittleEndian(external.read(p, dtype.storedBytes(n), where), dtype, shape);
    }
    return p.hasRawData() ? fromRaw(p.getRawData(), dtype, shape, n, where)
        : fromTypedFields(p, dtype, shape, n, where);
  }

  /** Whether the proto's bytes are ONNX external data. */
  static boolean isExternal(TensorProto p) {
    return p.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
  }

  /**
   * How the proto stores its tensor where that differs from the tensor Condense holds (a 16-bit
   * or double type, external bytes), or null; see {@link Storage}.
   */
  static Storage storageOf(TensorProto p, String where) {
    DType dtype = DType.fromOnnx(p.getDataType(), where);
    boolean external = isExternal(p);
    if (dtype.computeType() == dtype && !external) {
      return null;
    }
    return new Storage(dtype, external ? ExternalData.location(p, where) : null);
  }

  /** The proto of a tensor, named {@code name} ("" for attribute values), data as raw_data. */
  static TensorProto encode(Tensor t, String name) {
    return encode(t, name, t.dtype());
  }

  /** The proto of a tensor stored as element type {@code as} (see {@link RawData#toLittleEndian(Tensor, DType)}). */
  static TensorProto encode(Tensor t, String name, DType as) {
    TensorProto.Builder b = header(t, name, as);
    long bytes = as.storedBytes(t.size());
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new CondenseException("tensor " + (name.isEmpty() ? t : "'" + name + "'") + " takes "
          + bytes + " bytes, more than an ONNX file can hold (2 GB)");
    }
    // The array is fresh and never written again, so the proto may share it.
    return b.setRawData(UnsafeByteOperations.unsafeWrap(RawData.toLittleEndian(t, as))).build();
  }

  /**
   * The proto of a tensor whose bytes ({@code t} stored as {@code as}) go to the external data
   * file {@code location}, {@code length} bytes at {@code offset}.
   */
  static TensorProto encodeExternal(Tensor t, String name, DType as, String location, long offset) {
    return header(t, name, as).setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(entry("location", location))
        .addExternalData(entry("offset", Long.toString(offset)))
        .addExternalData(entry("length", Long.toString(as.storedBytes(t.size())))).build();
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  private static TensorProto.Builder header(Tensor t, String name, DType as) {
    TensorProto.Builder b = TensorProto.newBuilder().setDataType(as.onnxCode());
    if (!name.isEmpty()) {
      b.setName(name);
    }
    for (int d : t.shape()) {
      b.addDims(d);
    }
    return b;
  }

  private static int[] shape(List<Long> dims, String where) {
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      long d = dims.get(i);
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new CondenseException(where + ": invalid dimension " + d + " in shape " + dims);
      }
      shape[i] = (int) d;
    }
    return shape;
  }

  private static Tensor fromRaw(ByteString raw, DType dtype, int[] shape, int n, String where) {
    long need = dtype.storedBytes(n);
    if (raw.size() != need) {
      throw new CondenseException(where + ": raw_data has " + raw.size() + " bytes, but a "
          + dtype.name().toLowerCase() + Arrays.toString(shape) + " tensor needs " + need);
    }
    return RawData.fromLittleEndian(raw.asReadOnlyByteBuffer(), dtype, shape);
  }

  private static Tensor fromTypedFields(TensorProto p, DType dtype, int[] shape, int n, String where) {
    return switch (dtype) {
      case FLOAT -> {
        requireCount("float_data", p.getFloatDataCount(), shape, n, where);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = p.getFloatData(i);
        }
        yield Tensor.of(a, shape);
      }
      case INT64 -> {
        requireCount("int64_data", p.getInt64DataCount(), shape, n, where);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
          a[i] = p.getInt64Data(i);
        }
        yield Tensor.ofLongs(a, shape);
      }
      case INT32 -> {
        requireCount("int32_data", p.getInt32DataCount(), shape, n, where);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
          a[i] = p.getInt32Data(i);
        }
        yield Tensor.ofInts(a, shape);
      }
      case UINT8, INT8, BOOL -> {
        requireCount("int32_data", p.getInt32DataCount(), shape, n, where);
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
          a[i] = (byte) p.getInt32Data(i);
        }
        yield Tensor.ofBytes(dtype, a, shape);
      }
      case UINT4, INT4 -> {
        // ONNX keeps two 4-bit elements per int32_data value, low nibble first (onnx.proto3).
        int packed = (int) dtype.storedBytes(n);
        requireCount("int32_data", p.getInt32DataCount(), shape, packed, where);
        byte[] a = new byte[packed];
        for (int i = 0; i < packed; i++) {
          a[i] = (byte) p.getInt32Data(i);
        }
        yield Tensor.ofBytes(dtype, RawData.unpackNibbles(a, n, dtype == DType.INT4), shape);
      }
      case FLOAT16, BFLOAT16 -> {
        // ONNX keeps one 16-bit pattern per element in the low bits of int32_data (onnx.proto3).
        requireCount("int32_data", p.getInt32DataCount(), shape, n, where);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          short h = (short) p.getInt32Data(i);
          a[i] = dtype == DType.FLOAT16 ? HalfFloats.halfToFloat(h) : HalfFloats.bfloat16ToFloat(h);
        }
        yield Tensor.of(a, shape);
      }
      case DOUBLE -> {
        requireCount("double_data", p.getDoubleDataCount(), shape, n, where);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = (float) p.getDoubleData(i);
        }
        yield Tensor.of(a, shape);
      }
    };
  }

  private static void requireCount(String field, int count, int[] shape, int n, String where) {
    if (count != n) {
      throw new CondenseException(where + ": " + field + " holds " + count + " values, but shape "
          + Arrays.toString(shape) + " needs " + n);
    }
  }
}
