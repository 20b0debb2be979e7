package dev.condense.bench.coverage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.condense.graph.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Runs an ONNX file in ONNX Runtime (one thread): the independent reference for the engine's logits. */
final class OrtRun {
  private OrtRun() {}

  /** The first output of the file at {@code model} for {@code input} (float32 or int64) fed to input {@code name}. */
  static float[] firstOutput(Path model, String name, Tensor input) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = Arrays.stream(input.shape()).asLongStream().toArray();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(model.toString(), so);
          OnnxTensor t = input.dtype() == dev.condense.graph.DType.FLOAT ? OnnxTensor.createTensor(env, FloatBuffer.wrap(input.floats()), shape)
              : OnnxTensor.createTensor(env, LongBuffer.wrap(input.longs()), shape);
          OrtSession.Result r = s.run(Map.of(name, t))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }
  }
}
