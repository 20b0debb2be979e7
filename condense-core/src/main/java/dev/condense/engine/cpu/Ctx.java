package dev.condense.engine.cpu;

import dev.condense.numeric.Blas;
import dev.condense.numeric.Parallel;
import java.util.SplittableRandom;

/**
 * What kernels need while they run: the BLAS, the worker threads, whether this is a training
 * pass, and a random stream for Dropout that is derived from the run's seed and the step number
 * (so a seed gives the same run), and the session's {@link OpProfile} (null: no timing).
 */
final class Ctx {
  final Blas blas;
  final Parallel par;
  boolean training;
  SplittableRandom random = new SplittableRandom(0);
  final OpProfile profile;

  Ctx(Blas blas, Parallel par) {
    this(blas, par, null);
  }

  Ctx(Blas blas, Parallel par, OpProfile profile) {
    this.blas = blas;
    this.par = par;
    this.profile = profile;
  }
}
