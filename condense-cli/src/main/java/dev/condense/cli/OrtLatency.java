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
 * Measured inference latency of ONNX models in ONNX Runtime: the models that will ship, in the
 * runtime they will ship with. Two models are timed in alternation — one run of each in turn, on
 * the same random batch — so that other load on the machine slows both alike and their ratio
 * stays fair; warm-up runs first, then timed pairs until both a minimum count and a minimum time
 * are reached; the medians are reported.
 */
final class OrtLatency {
  /** Median milliseconds per batch of each model. */
  record Pair(double firstMs, double secondMs) {}

  private OrtLatency() {}

  /** Median milliseconds per batch of {@code batch} random inputs, for {@code a} and {@code b} timed in turn. */
  static Pair medianMs(Model a, Model b, int batch, int threads, long seed) {
    int[] sample = a.graph().inputs().get(0).shapeOr(batch);
    sample[0] = batch;
    long[] shape = Arrays.stream(sample).asLongStream().toArray();
    float[] x = new float[Arrays.stream(sample).reduce(1, (p, q) -> p * q)];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(threads);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession sa = env.createSession(OnnxWriter.toBytes(a), so);
          OrtSession sb = env.createSession(OnnxWriter.toBytes(b), so);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
        Map<String, OnnxTensor> ina = Map.of(a.graph().inputs().get(0).name(), t);
        Map<String, OnnxTensor> inb = Map.of(b.graph().inputs().get(0).name(), t);
        for (int i = 0; i < 5; i++) {
          sa.run(ina).close();
          sb.run(inb).close();
        }
        double[] ta = new double[10_000];
        double[] tb = new double[10_000];
        int n = 0;
        long start = System.nanoTime();
        while (n < ta.length && (n < 20 || System.nanoTime() - start < 4_000_000_000L)) {
          ta[n] = timed(sa, ina);
          tb[n] = timed(sb, inb);
          n++;
        }
        return new Pair(median(ta, n), median(tb, n));
      }
    } catch (OrtException e) {
      throw new CondenseException("ONNX Runtime could not time the model: " + e.getMessage());
    }
  }

  private static double timed(OrtSession s, Map<String, OnnxTensor> in) throws OrtException {
    long t0 = System.nanoTime();
    s.run(in).close();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(double[] times, int n) {
    double[] d = Arrays.copyOf(times, n);
    Arrays.sort(d);
    return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
  }
}
