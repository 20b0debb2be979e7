package dev.condense.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.condense.CondenseException;
import dev.condense.data.Dataset;
import dev.condense.engine.BatchInput;
import dev.condense.graph.DType;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Scorer;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import dev.condense.ops.FixedBatch;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Evaluates a model in ONNX Runtime instead of Condense's engine: the independent check that an
 * exported file computes what the engine computed ({@code condense eval --runtime ort}).
 */
final class OrtEvaluator {
  private OrtEvaluator() {}

  /**
   * Top-1 of {@code model} in ONNX Runtime on {@code data}, in batches of {@code requested}
   * samples, or of the batch size the model's input declares where it is fixed (a model exported
   * at batch 1 takes only batches of 1 in ONNX Runtime; the engine runs it at any batch).
   */
  static Evaluation evaluate(Model model, Dataset data, int requested, int threads, Progress progress) {
    return evaluate(OnnxWriter.toBytes(model), model, data, requested, threads, progress);
  }

  /**
   * The same for a model's ONNX {@code bytes} (which may hold ops only ONNX Runtime reads, such as
   * its contrib ops), {@code model} a model with the same inputs.
   */
  static Evaluation evaluate(byte[] bytes, Model model, Dataset data, int requested, int threads, Progress progress) {
    int declared = FixedBatch.declared(model.graph());
    int batch = declared > 0 ? declared : requested;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(threads);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(bytes, so)) {
        int n = data.size();
        Scorer scorer = new Scorer(n);
        float[] x = new float[batch * data.sampleSize()];
        int[] labels = new int[batch];
        progress.start("evaluate " + data.name() + " in ONNX Runtime", (n + batch - 1) / batch);
        for (int bi = 0, s = 0; s < n; bi++, s += batch) {
          int nb = Math.min(batch, n - s);
          BatchInput in = BatchInput.of(model.graph(), data, nb);
          data.fill(null, s, nb, x, labels);
          long[] shape = Arrays.stream(in.shape()).asLongStream().toArray();
          try (OnnxTensor t = tensor(env, in, x, nb * data.sampleSize(), shape);
              OrtSession.Result r = session.run(java.util.Map.of(in.name(), t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] os = out.getInfo().getShape();
            if (os.length != 2) {
              throw new CondenseException("ONNX Runtime returned an output of shape " + Arrays.toString(os)
                  + ", expected [batch, classes]");
            }
            FloatBuffer fb = out.getFloatBuffer();
            float[] logits = new float[fb.remaining()];
            fb.get(logits);
            scorer.add(logits, nb, (int) os[1], labels);
          }
          progress.update(bi + 1, "");
        }
        Evaluation e = scorer.result();
        progress.finish(e.toString());
        return e;
      }
    } catch (OrtException e) {
      throw new CondenseException("ONNX Runtime could not run the model: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** The batch as ONNX Runtime takes it: floats, or the token ids (exact integers in {@code x}) as int64/int32. */
  private static OnnxTensor tensor(OrtEnvironment env, BatchInput in, float[] x, int count, long[] shape)
      throws OrtException {
    if (in.dtype() == DType.FLOAT) {
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, count), shape);
    }
    if (in.dtype() == DType.INT32) {
      int[] ids = new int[count];
      for (int i = 0; i < count; i++) {
        ids[i] = (int) x[i];
      }
      return OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(ids), shape);
    }
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = (long) x[i];
    }
    return OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(ids), shape);
  }
}
