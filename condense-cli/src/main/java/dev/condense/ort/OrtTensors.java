package dev.condense.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.condense.CondenseException;
import dev.condense.engine.BatchInput;
import dev.condense.graph.DType;
import dev.condense.graph.Tensor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/** Condense's {@link Tensor}s and data batches as ONNX Runtime's {@link OnnxTensor}s, and back. */
final class OrtTensors {
  private OrtTensors() {}

  /** {@code t} as an ONNX Runtime tensor (float, int64, int32, or one of the byte types). */
  static OnnxTensor of(OrtEnvironment env, String name, Tensor t) throws OrtException {
    long[] shape = longs(t.shape());
    return switch (t.dtype()) {
      case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
      case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape);
      case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(t.ints()), shape);
      case UINT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap(t.bytes()), shape, OnnxJavaType.UINT8);
      case INT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap(t.bytes()), shape, OnnxJavaType.INT8);
      case BOOL -> OnnxTensor.createTensor(env, ByteBuffer.wrap(t.bytes()), shape, OnnxJavaType.BOOL);
      default -> throw new CondenseException("input '" + name + "' is " + t.dtype().label()
          + ", which Condense does not hand to ONNX Runtime");
    };
  }

  /**
   * The first {@code count} values of a data batch {@code x} as the model's input takes them:
   * floats, or the token ids (exact integers in {@code x}) as int64 or int32.
   */
  static OnnxTensor batch(OrtEnvironment env, BatchInput in, float[] x, int count) throws OrtException {
    long[] shape = longs(in.shape());
    if (in.dtype() == DType.FLOAT) {
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, count), shape);
    }
    if (in.dtype() == DType.INT32) {
      int[] ids = new int[count];
      for (int i = 0; i < count; i++) {
        ids[i] = (int) x[i];
      }
      return OnnxTensor.createTensor(env, IntBuffer.wrap(ids), shape);
    }
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = (long) x[i];
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
  }

  /** An ONNX Runtime result as a Condense tensor; {@code value} names it in errors. */
  static Tensor toTensor(String value, OnnxTensor t) {
    int[] shape = ints(value, t.getInfo().getShape());
    return switch (t.getInfo().type) {
      case FLOAT -> Tensor.of(floats(t), shape);
      case INT64 -> {
        LongBuffer b = t.getLongBuffer();
        long[] v = new long[b.remaining()];
        b.get(v);
        yield Tensor.ofLongs(v, shape);
      }
      case INT32 -> {
        IntBuffer b = t.getIntBuffer();
        int[] v = new int[b.remaining()];
        b.get(v);
        yield Tensor.ofInts(v, shape);
      }
      case UINT8, INT8, BOOL -> {
        ByteBuffer b = t.getByteBuffer();
        byte[] v = new byte[b.remaining()];
        b.get(v);
        DType d = t.getInfo().type == OnnxJavaType.UINT8 ? DType.UINT8
            : t.getInfo().type == OnnxJavaType.INT8 ? DType.INT8 : DType.BOOL;
        yield Tensor.ofBytes(d, v, shape);
      }
      default -> throw new CondenseException("value '" + value + "' is " + t.getInfo().type
          + " in ONNX Runtime, which Condense does not read back");
    };
  }

  /** The elements of a float result. */
  static float[] floats(OnnxTensor t) {
    FloatBuffer b = t.getFloatBuffer();
    float[] v = new float[b.remaining()];
    b.get(v);
    return v;
  }

  static int[] ints(String value, long[] shape) {
    int[] s = new int[shape.length];
    for (int i = 0; i < s.length; i++) {
      if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
        throw new CondenseException("value '" + value + "' has shape " + Arrays.toString(shape) + " in ONNX Runtime");
      }
      s[i] = (int) shape[i];
    }
    return s;
  }

  private static long[] longs(int[] shape) {
    return Arrays.stream(shape).asLongStream().toArray();
  }
}
