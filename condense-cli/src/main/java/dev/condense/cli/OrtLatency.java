package dev.condense.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.condense.CondenseException;
import dev.condense.graph.Model;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measured inference latency of ONNX models in ONNX Runtime: the models that will ship, in the
 * runtime they will ship with. Two models are timed in alternation so that other load on the
 * machine slows both alike and their ratio stays fair — but only one session exists at a time:
 * each turn opens one model's session, warms it up, times it for a while and closes it, because
 * two live sessions keep two intra-op thread pools that compete for the cores (on two cores,
 * ResNet-20 at batch 64 measured 20.7 ms at 2 threads beside a second session, against 10.2 ms
 * alone). Turns repeat until both a minimum count of runs and a minimum time are reached; the
 * medians of all timed runs are reported.
 */
final class OrtLatency {
  /** Median milliseconds per batch of each model. */
  record Pair(double firstMs, double secondMs) {}

  /**
   * How long a model is timed: turns per model (A, B, A, B, ...), and per turn the warm-up runs,
   * the fewest timed runs and the least time.
   */
  record Budget(int turns, int warmUp, int minRuns, long minNanos) {
    /** A whole model: 4 turns of at least 5 runs and half a second each. */
    static final Budget MODEL = new Budget(4, 3, 5, 500_000_000L);
    /**
     * One layer of a latency table (hundreds of them per model, each a fraction of a millisecond):
     * one turn of at least 20 runs and 40 ms.
     */
    static final Budget LAYER = new Budget(1, 3, 20, 40_000_000L);
  }

  private OrtLatency() {}

  /** Median milliseconds per batch of {@code batch} random inputs, for {@code a} and {@code b} timed in turn. */
  static Pair medianMs(Model a, Model b, int batch, int threads, long seed) {
    double[] ms = medians(List.of(OrtModel.of(a, "the model"), OrtModel.of(b, "the model")),
        List.of(inputName(a), inputName(b)), shape(a, batch), threads, seed, Budget.MODEL);
    return new Pair(ms[0], ms[1]);
  }

  /** Median milliseconds per batch of {@code batch} random inputs for one model, timed alone. */
  static double medianMs(Model m, int batch, int threads, long seed) {
    return medianMs(m, batch, threads, seed, Budget.MODEL);
  }

  /** As above, timed for {@code budget}. */
  static double medianMs(Model m, int batch, int threads, long seed, Budget budget) {
    return medians(List.of(OrtModel.of(m, "the model")), List.of(inputName(m)), shape(m, batch), threads, seed,
        budget)[0];
  }

  /**
   * Median milliseconds per batch of random inputs of {@code shape} (batch first) for {@code a}
   * and {@code b}, fed to their inputs {@code inputA} and {@code inputB}, timed in turn: the
   * models as ONNX Runtime loads them, whatever ops they hold.
   */
  static Pair medianMs(OrtModel a, String inputA, OrtModel b, String inputB, long[] shape, int threads, long seed) {
    double[] ms = medians(List.of(a, b), List.of(inputA, inputB), shape, threads, seed, Budget.MODEL);
    return new Pair(ms[0], ms[1]);
  }

  private static String inputName(Model m) {
    return m.graph().inputs().get(0).name();
  }

  /** The model's first input's shape at {@code batch}. */
  private static long[] shape(Model m, int batch) {
    int[] sample = m.graph().inputs().get(0).shapeOr(batch);
    sample[0] = batch;
    return Arrays.stream(sample).asLongStream().toArray();
  }

  /** Each model's median, the models timed in turn (one session at a time) on the same inputs. */
  private static double[] medians(List<OrtModel> models, List<String> inputs, long[] shape, int threads, long seed,
      Budget budget) {
    float[] x = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (p, q) -> p * q))];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int current = 0;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
      so.setIntraOpNumThreads(threads);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      Times[] times = new Times[models.size()];
      Arrays.setAll(times, i -> new Times());
      for (int turn = 0; turn < budget.turns(); turn++) {
        for (int i = 0; i < models.size(); i++) {
          current = i;
          turn(env, so, models.get(i), inputs.get(i), t, times[i], budget);
        }
      }
      return Arrays.stream(times).mapToDouble(Times::median).toArray();
    } catch (OrtException e) {
      throw new CondenseException("ONNX Runtime could not time " + models.get(current).name() + ": "
          + OrtModel.firstLine(e));
    }
  }

  /** One model's turn: its own session, warmed up, timed, closed before the other model's turn. */
  private static void turn(OrtEnvironment env, OrtSession.SessionOptions so, OrtModel model, String input, OnnxTensor t,
      Times times, Budget budget) throws OrtException {
    try (OrtSession s = model.open(env, so)) {
      Map<String, OnnxTensor> in = Map.of(input, t);
      for (int i = 0; i < budget.warmUp(); i++) {
        s.run(in).close();
      }
      long start = System.nanoTime();
      for (int n = 0; n < budget.minRuns() || System.nanoTime() - start < budget.minNanos(); n++) {
        long t0 = System.nanoTime();
        s.run(in).close();
        times.add((System.nanoTime() - t0) / 1e6);
      }
    }
  }

  /** Timed runs of one model, in milliseconds. */
  private static final class Times {
    private double[] ms = new double[64];
    private int n;

    void add(double v) {
      if (n == ms.length) {
        ms = Arrays.copyOf(ms, 2 * n);
      }
      ms[n++] = v;
    }

    double median() {
      double[] d = Arrays.copyOf(ms, n);
      Arrays.sort(d);
      return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
    }
  }
}
