package dev.condense.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxWriter;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measured inference latency of an ONNX model in ONNX Runtime: the model that will ship, in the
 * runtime it will ship with. Warm-up runs first, then timed runs until both a minimum count and
 * a minimum time are reached; the median is reported.
 */
final class OrtLatency {
  private OrtLatency() {}

  /** Median milliseconds per batch of {@code batch} random inputs. */
  static double medianMs(Model m, int batch, int threads, long seed) {
    int[] sample = m.graph().inputs().get(0).shapeOr(batch);
    sample[0] = batch;
    long[] shape = Arrays.stream(sample).asLongStream().toArray();
    float[] x = new float[Arrays.stream(sample).reduce(1, (a, b) -> a * b)];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(threads);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession s = env.createSession(OnnxWriter.toBytes(m), so);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
        Map<String, OnnxTensor> in = Map.of(m.graph().inputs().get(0).name(), t);
        for (int i = 0; i < 5; i++) {
          s.run(in).close();
        }
        double[] times = new double[10_000];
        int n = 0;
        long start = System.nanoTime();
        while (n < times.length && (n < 20 || System.nanoTime() - start < 2_000_000_000L)) {
          long t0 = System.nanoTime();
          s.run(in).close();
          times[n++] = (System.nanoTime() - t0) / 1e6;
        }
        double[] d = Arrays.copyOf(times, n);
        Arrays.sort(d);
        return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
      }
    } catch (OrtException e) {
      throw new CondenseException("ONNX Runtime could not time the model: " + e.getMessage());
    }
  }
}
