package dev.condense.bench.coverage;

import dev.condense.data.ArraySet;
import dev.condense.data.NpyArray;
import dev.condense.data.NpzFile;
import dev.condense.engine.Constraints;
import dev.condense.engine.Engine;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One training step of the engine against PyTorch's: plain SGD (no momentum, no weight decay, a
 * constant rate {@link #LR}) over the whole batch at once, so each parameter's gradient is
 * (w_before − w_after) / LR. The large rate keeps the float32 rounding of w_after small next to
 * LR·g. Parameters are the initializers PyTorch's reference names; every other non-statistic
 * initializer must come out unchanged.
 *
 * <p>The reference is PyTorch in float64. A parameter's gradient passes when its relative error
 * (max |g − g64| / max |g64|) is at most {@link #GRAD_TOLERANCE} or at most {@link #FLOOR_FACTOR}
 * times PyTorch float32's own error on it, the largest over the float32 runs export.py samples with
 * inputs and weights one rounding apart (random-weight gradients can be ill-conditioned enough,
 * through BatchNorm's cancellation, a ReLU input near zero or a max-pool near-tie, that float32
 * itself is off by percents, and by how much depends on the rounding). Every parameter's two errors are written to a
 * tab-separated detail file beside the cell's log.
 */
final class GradientCheck {
  static final double LR = 1e4;
  static final double GRAD_TOLERANCE = 1e-3;
  static final double FLOOR_FACTOR = 10;

  private GradientCheck() {}

  /** Loss, gradient and frozen-tensor results of one step. */
  record Result(double loss, double refLoss, double refLoss32, double worstGradRel, String worstParam,
      double worstTorch32, int torch32Runs, int params, int failed, String firstFailed, String changedConstant) {}

  static Result run(Engine engine, Model model, NpyArray x, NpyArray y, int classes, Path refFile,
      Set<String> constants, Path detail) throws java.io.IOException {
    TrainConfig cfg = new TrainConfig(1, x.shape()[0], LR, 0, 0, LrSchedule.parse("constant"), 1);
    TrainHistory h;
    Model after;
    try (Session s = engine.open(model)) {
      h = s.train(ArraySet.of("batch", x, y, classes), cfg, Constraints.NONE, null, Progress.NONE);
      after = s.export();
    }
    Map<String, Tensor> w0 = model.graph().initializers();
    Map<String, Tensor> w1 = after.graph().initializers();
    double worst = 0;
    String worstName = "";
    int n = 0;
    int failed = 0;
    String firstFailed = null;
    double worst32 = 0;
    double refLoss;
    double refLoss32;
    int runs;
    StringBuilder rows = new StringBuilder("parameter\tengine_rel\ttorch32_rel\tmax_ref\n");
    try (NpzFile ref = NpzFile.open(refFile)) {
      refLoss = ref.read("__loss__").getDouble(0);
      refLoss32 = ref.read("__loss32__").getDouble(0);
      // references written before the floor was sampled hold one float32 run
      runs = ref.names().contains("__runs__") ? (int) ref.read("__runs__").getDouble(0) : 1;
      // a gradient that is zero in exact arithmetic (a bias a later BatchNorm subtracts again) is
      // measured against a millionth of the model's largest gradient, not against its own rounding
      double global = 0;
      for (String name : ref.names()) {
        if (!name.startsWith("__")) {
          global = Math.max(global, maxAbs(ref.read(name).toFloats()));
        }
      }
      for (String name : ref.names()) {
        if (name.startsWith("__")) {
          continue;
        }
        double t32 = ref.read("__t32__" + name).getDouble(0);
        worst32 = Math.max(worst32, t32);
        float[] g = ref.read(name).toFloats();
        float[] a = w0.get(name).floats();
        float[] b = w1.get(name).floats();
        float[] got = new float[g.length];
        for (int i = 0; i < g.length; i++) {
          got[i] = (float) (((double) a[i] - b[i]) / LR);
        }
        Diff d = Diff.of(got, g);
        double rel = d.maxAbs() / Math.max(d.maxRef(), 1e-6 * global);
        n++;
        rows.append(name).append('\t').append(rel).append('\t').append(t32).append('\t').append(d.maxRef()).append('\n');
        if (!(rel <= Math.max(GRAD_TOLERANCE, FLOOR_FACTOR * t32))) {
          failed++;
          firstFailed = firstFailed == null ? name : firstFailed;
        }
        if (!(rel <= worst)) {
          worst = rel;
          worstName = name;
        }
      }
    }
    java.nio.file.Files.writeString(detail, rows);
    String changed = null;
    for (String c : constants) {
      if (Diff.of(w1.get(c).toFloats(), w0.get(c).toFloats()).maxAbs() != 0) {
        changed = c;
        break;
      }
    }
    return new Result(h.last().trainLoss(), refLoss, refLoss32, worst, worstName, worst32, runs, n, failed, firstFailed,
        changed);
  }

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
