package dev.condense.engine;

/** How the learning rate changes over training, as a function of the epoch. */
public sealed interface LrSchedule {

  /** The learning rate for {@code epoch} (0-based) of {@code epochs}, starting from {@code base}. */
  double at(double base, int epoch, int epochs);

  /** Parses "constant", "cosine" or "step:EVERY:GAMMA" (e.g. step:10:0.1); null if not one of them. */
  static LrSchedule parse(String s) {
    if (s.equals("constant")) {
      return new Constant();
    }
    if (s.equals("cosine")) {
      return new Cosine(0);
    }
    String[] p = s.split(":");
    if (p.length == 3 && p[0].equals("step")) {
      try {
        int every = Integer.parseInt(p[1]);
        double gamma = Double.parseDouble(p[2]);
        if (every >= 1 && gamma > 0) {
          return new Step(every, gamma);
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** The same rate throughout. */
  record Constant() implements LrSchedule {
    @Override
    public double at(double base, int epoch, int epochs) {
      return base;
    }
  }

  /** Multiplied by {@code gamma} every {@code every} epochs (Caffe's "step" policy). */
  record Step(int every, double gamma) implements LrSchedule {
    public Step {
      if (every < 1 || !(gamma > 0)) {
        throw new IllegalArgumentException("step schedule needs every ≥ 1 and gamma > 0");
      }
    }

    @Override
    public double at(double base, int epoch, int epochs) {
      return base * Math.pow(gamma, epoch / every);
    }
  }

  /**
   * Cosine annealing from {@code base} towards {@code base × minFactor} over the run, per epoch,
   * as PyTorch's CosineAnnealingLR with T_max = epochs: the last epoch still has a small rate.
   */
  record Cosine(double minFactor) implements LrSchedule {
    @Override
    public double at(double base, int epoch, int epochs) {
      if (epochs <= 1) {
        return base;
      }
      double t = (double) epoch / epochs;
      double min = base * minFactor;
      return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * t));
    }
  }
}
