package dev.condense.bench.speed;

import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.blas.NativeGemm;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.engine.cpu.OpProfile;
import dev.condense.numeric.Parallel;
import java.util.Locale;

/**
 * Issue 18 §1: where a training step's time goes, per op. Trains a model on synthetic images
 * (SGD, momentum 0.9, weight decay 5e-4) for warm-up steps, then times the kernels of the
 * measured steps through the session's {@link OpProfile} and prints Markdown tables: by op kind,
 * then the top nodes, each with its share of the step, milliseconds per step, and achieved
 * GFLOP/s against the sgemm peak measured in the same run.
 *
 * <p>Usage: {@code TrainProfile MODEL [--batch 64] [--threads 2] [--warmup 5] [--steps 20]
 * [--top 25]}; MODEL is a zoo spec (resnet-20, vgg-16:width=0.25, lenet-5) or an ONNX file.
 */
public final class TrainProfile {
  private TrainProfile() {}

  /** Runs the profile; see the class comment for the arguments. */
  public static void main(String[] args) {
    Options o = Options.parse(args);
    NativeGemm gemm = NativeGemm.detect();
    double peak;
    try (Parallel par = new Parallel(o.threads())) {
      peak = SgemmPeak.measure(gemm, par, 1024, 3);
    }
    OpProfile profile = new OpProfile();
    long wall;
    try (CpuEngine engine = new CpuEngine(o.threads(), gemm)) {
      Bench.Loaded m = Bench.load(o.model());
      try (Session s = engine.open(m.model(), profile)) {
        TrainConfig cfg = new TrainConfig(1, o.batch(), 0.01, 0.9, 5e-4, new LrSchedule.Constant(), 1);
        s.train(new SyntheticSet(o.warmup() * o.batch(), m.sample(), m.classes(), 7), cfg,
            dev.condense.engine.Constraints.NONE, null, Progress.NONE);
        profile.reset();
        long t0 = System.nanoTime();
        s.train(new SyntheticSet(o.steps() * o.batch(), m.sample(), m.classes(), 8), cfg,
            dev.condense.engine.Constraints.NONE, null, Progress.NONE);
        wall = System.nanoTime() - t0;
      }
    }
    System.out.print(ProfileTable.render(o, gemm.name(), peak, profile, wall));
  }

  /** The command line. */
  record Options(String model, int batch, int threads, int warmup, int steps, int top) {
    static Options parse(String[] args) {
      if (args.length == 0) {
        throw new IllegalArgumentException("usage: TrainProfile MODEL [--batch N] [--threads N] [--warmup N] [--steps N] [--top N]");
      }
      int batch = 64;
      int threads = 2;
      int warmup = 5;
      int steps = 20;
      int top = 25;
      for (int i = 1; i + 1 < args.length; i += 2) {
        int v = Integer.parseInt(args[i + 1]);
        switch (args[i]) {
          case "--batch" -> batch = v;
          case "--threads" -> threads = v;
          case "--warmup" -> warmup = v;
          case "--steps" -> steps = v;
          case "--top" -> top = v;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Options(args[0], batch, threads, warmup, steps, top);
    }
  }

  static String f(String fmt, Object... a) {
    return String.format(Locale.ROOT, fmt, a);
  }
}
