package dev.condense.engine.cpu;

import dev.condense.numeric.Blas;
import dev.condense.numeric.Parallel;
import java.util.SplittableRandom;

/**
 * What kernels need while they run: the BLAS, the worker threads, whether this is a training
 * pass, and a random stream for Dropout that is derived from the run's seed and the step number
 * (so a seed gives the same run).
 */
final class Ctx {
  final Blas blas;
  final Parallel par;
  boolean training;
  SplittableRandom random = new SplittableRandom(0);

  Ctx(Blas blas, Parallel par) {
    this.blas = blas;
    this.par = par;
  }
}
