package dev.condense.bench.speed;

import dev.condense.engine.Constraints;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.engine.cpu.CpuEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * Condense's side of {@code bench/train-speed.sh}: milliseconds per training step (SGD, momentum
 * 0.9, weight decay 5e-4, synthetic images) of a model, measured as {@code reps} epochs of
 * {@code steps} batches after one warm-up epoch; prints one JSON line.
 *
 * <p>Usage: {@code TrainSpeed MODEL BATCH THREADS STEPS REPS}; MODEL is a zoo spec or an ONNX file.
 */
public final class TrainSpeed {
  private TrainSpeed() {}

  /** Runs the measurement; see the class comment for the arguments. */
  public static void main(String[] args) {
    if (args.length != 5) {
      throw new IllegalArgumentException("usage: TrainSpeed MODEL BATCH THREADS STEPS REPS");
    }
    int batch = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    int reps = Integer.parseInt(args[4]);
    Bench.Loaded m = Bench.load(args[0]);
    List<String> ms = new ArrayList<>();
    try (CpuEngine engine = NativeEngines.create(threads); Session s = engine.open(m.model())) {
      TrainConfig cfg = new TrainConfig(1, batch, 0.01, 0.9, 5e-4, new LrSchedule.Constant(), 1);
      for (int r = 0; r <= reps; r++) {
        TrainHistory h = s.train(new SyntheticSet(steps * batch, m.sample(), m.classes(), 11 + r), cfg,
            Constraints.NONE, null, Progress.NONE);
        if (r > 0) { // epoch 0 warms up
          ms.add(TrainProfile.f("%.3f", h.epochs().get(0).seconds() * 1000 / steps));
        }
      }
    }
    System.out.println("{\"framework\": \"condense\", \"ms_per_step\": [" + String.join(", ", ms) + "]}");
  }
}
