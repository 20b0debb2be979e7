package dev.condense.bench.speed;

import dev.condense.data.DataSources;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.ort.OrtEngine;
import java.util.Arrays;
import java.util.Locale;

/**
 * Issue 18 §3: evaluation throughput of the CPU engine against ONNX Runtime, both through the
 * same {@link Session#evaluate} (data filled and scored alike), on Fashion-MNIST's test images.
 * One warm-up evaluation each, then {@code runs} timed ones alternating engine and ONNX Runtime;
 * prints one Markdown row: model, threads, batch, images, median images/s of each, the ratio
 * (engine / ONNX Runtime; 1.2x slower reads 0.83) and whether both gave the same predictions.
 *
 * <p>Usage: {@code EvalThroughput MODEL [--threads 2] [--batch 256] [--runs 5] [--limit N]}; MODEL
 * a zoo spec (resnet-20, vgg-16:width=0.25, ...) or an ONNX file.
 */
public final class EvalThroughput {
  private EvalThroughput() {}

  /** Runs the measurement; see the class comment for the arguments. */
  public static void main(String[] args) {
    String model = args[0];
    int threads = 2;
    int batch = 256;
    int runs = 5;
    int limit = Integer.MAX_VALUE;
    for (int i = 1; i + 1 < args.length; i += 2) {
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--threads" -> threads = v;
        case "--batch" -> batch = v;
        case "--runs" -> runs = v;
        case "--limit" -> limit = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Dataset test = DataSources.resolve("fashion-mnist").test();
    test = test.head(Math.min(limit, test.size()));
    Bench.Loaded m = Bench.load(model);
    double[] engine = new double[runs];
    double[] ort = new double[runs];
    double agreement;
    try (Engine cpu = NativeEngines.create(threads); Engine rt = new OrtEngine(threads);
        Session a = cpu.open(m.model()); Session b = rt.open(m.model())) {
      agreement = a.evaluate(test, batch, Progress.NONE).agreement(b.evaluate(test, batch, Progress.NONE));
      for (int r = 0; r < runs; r++) {
        engine[r] = imagesPerSecond(a, test, batch);
        ort[r] = imagesPerSecond(b, test, batch);
      }
    }
    double e = median(engine);
    double o = median(ort);
    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %.0f | %.2f | %.2f%% |%n", model, threads, batch, test.size(),
        e, o, e / o, 100 * agreement);
  }

  private static double imagesPerSecond(Session s, Dataset test, int batch) {
    long t0 = System.nanoTime();
    Evaluation ev = s.evaluate(test, batch, Progress.NONE);
    return ev.samples() / ((System.nanoTime() - t0) / 1e9);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
