package dev.condense.bench;

import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.OnnxReader;
import dev.condense.runtime.CdzRuntime;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Latency of the {@code .cdz} runtime on several files, in alternation (one batch of each in
 * turn, so a busy machine slows them alike): the median milliseconds per batch of each, after a
 * warm-up. For INT8 against float: a QDQ .cdz (its layers on integers) beside the float model's.
 * An .onnx file runs in the same runtime (the float model without writing a .cdz).
 * Usage: {@code CdzLatency BATCH THREADS REPS FILE.cdz|FILE.onnx...}; prints {@code file ms} per line.
 */
public final class CdzLatency {
  private CdzLatency() {}

  public static void main(String[] args) {
    int batch = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    int reps = Integer.parseInt(args[2]);
    int files = args.length - 3;
    CdzRuntime[] rt = new CdzRuntime[files];
    Map<String, Tensor>[] in = inputs(files);
    double[][] ms = new double[files][reps];
    try {
      for (int f = 0; f < files; f++) {
        Path file = Path.of(args[3 + f]);
        rt[f] = file.toString().endsWith(".onnx") ? CdzRuntime.of(OnnxReader.read(file), threads) : CdzRuntime.open(file, threads);
        in[f] = input(rt[f].model(), batch, 7);
      }
      for (int r = -Math.max(5, reps / 5); r < reps; r++) {
        for (int f = 0; f < files; f++) {
          long t0 = System.nanoTime();
          rt[f].run(in[f]);
          if (r >= 0) {
            ms[f][r] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
    } finally {
      for (CdzRuntime r : rt) {
        if (r != null) {
          r.close();
        }
      }
    }
    for (int f = 0; f < files; f++) {
      Arrays.sort(ms[f]);
      System.out.printf(Locale.ROOT, "%s %.3f%n", args[3 + f], ms[f][reps / 2]);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Tensor>[] inputs(int n) {
    return new Map[n];
  }

  private static Map<String, Tensor> input(Model m, int batch, long seed) {
    ValueInfo vi = m.graph().inputs().get(0);
    int[] s = vi.shapeOr(batch);
    s[0] = batch;
    float[] x = new float[(int) Tensor.numel(s)];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    return Map.of(vi.name(), Tensor.of(x, s));
  }
}
