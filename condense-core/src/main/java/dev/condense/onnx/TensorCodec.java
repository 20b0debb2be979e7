package dev.condense.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.RawData;
import dev.condense.graph.Tensor;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import java.util.Arrays;
import java.util.List;

/**
 * Converts between ONNX {@code TensorProto} and {@link Tensor}, in one place for the reader and
 * the writer. Reading accepts both ways ONNX stores elements: {@code raw_data} (little-endian)
 * and the typed fields ({@code float_data}; {@code int64_data}; {@code int32_data}, which ONNX
 * also uses for int8 and uint8). Writing always uses {@code raw_data}: compact, and what PyTorch
 * writes. Every error names {@code where} the tensor sits (initializer, attribute, file).
 */
final class TensorCodec {

  private TensorCodec() {}

  /** The tensor a proto holds, or an error naming {@code where} it was found. */
  static Tensor decode(TensorProto p, String where) {
    if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL || p.getExternalDataCount() > 0) {
      throw new CondenseException(where + ": weights stored as external data are not supported"
          + " (save the model as one file)");
    }
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
    return p.hasRawData() ? fromRaw(p.getRawData(), dtype, shape, n, where)
        : fromTypedFields(p, dtype, shape, n, where);
  }

  /** The proto of a tensor, named {@code name} ("" for attribute values), data as raw_data. */
  static TensorProto encode(Tensor t, String name) {
    TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.dtype().onnxCode());
    if (!name.isEmpty()) {
      b.setName(name);
    }
    for (int d : t.shape()) {
      b.addDims(d);
    }
    if (t.byteSize() > Integer.MAX_VALUE - 8) {
      throw new CondenseException("tensor " + (name.isEmpty() ? t : "'" + name + "'") + " takes "
          + t.byteSize() + " bytes, more than an ONNX file can hold (2 GB)");
    }
    // The array is fresh and never written again, so the proto may share it.
    return b.setRawData(UnsafeByteOperations.unsafeWrap(RawData.toLittleEndian(t))).build();
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
    long need = (long) n * dtype.bytes();
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
    };
  }

  private static void requireCount(String field, int count, int[] shape, int n, String where) {
    if (count != n) {
      throw new CondenseException(where + ": " + field + " holds " + count + " values, but shape "
          + Arrays.toString(shape) + " needs " + n);
    }
  }
}
