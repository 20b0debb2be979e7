package dev.condense.zoo;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import dev.condense.graph.DType;
import dev.condense.graph.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/** Runs a model's written ONNX bytes in ONNX Runtime: the independent reference for the engine. */
public final class OrtReference {
  private OrtReference() {}

  /** The first output for input {@code x} of shape {@code shape}. */
  public static float[] run(Model m, float[] x, int[] shape) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(OnnxWriter.toBytes(m), so);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), Arrays.stream(shape).asLongStream().toArray());
          OrtSession.Result r = s.run(Map.of(m.graph().inputs().get(0).name(), t))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }
  }

  /** The first output for input {@code x}, float or int64 (token ids). */
  public static float[] run(Model m, Tensor x) throws Exception {
    if (x.dtype() == DType.FLOAT) {
      return run(m, x.floats(), x.shape());
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(OnnxWriter.toBytes(m), so);
          OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(x.toLongs()),
              Arrays.stream(x.shape()).asLongStream().toArray());
          OrtSession.Result r = s.run(Map.of(m.graph().inputs().get(0).name(), t))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }
  }
}
