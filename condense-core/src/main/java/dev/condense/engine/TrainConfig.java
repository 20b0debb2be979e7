package dev.condense.engine;

import dev.condense.CondenseException;

/**
 * Settings of a training run: SGD with momentum (PyTorch's form: v = μv + g + λw, w −= lr·v),
 * weight decay on the weight matrices and kernels (not on biases or BatchNorm parameters), a
 * learning-rate schedule, a seed for shuffling, dropout and anything else random, and optionally
 * a teacher to distil from ({@code distillation == null}: the labels alone).
 */
public record TrainConfig(int epochs, int batchSize, double lr, double momentum, double weightDecay,
    LrSchedule schedule, long seed, Distillation distillation) {

  public TrainConfig(int epochs, int batchSize, double lr, double momentum, double weightDecay, LrSchedule schedule,
      long seed) {
    this(epochs, batchSize, lr, momentum, weightDecay, schedule, seed, null);
  }

  public TrainConfig {
    if (epochs < 0) {
      throw new CondenseException("the number of epochs must be ≥ 0, got " + epochs);
    }
    if (batchSize < 1) {
      throw new CondenseException("the batch size must be ≥ 1, got " + batchSize);
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new CondenseException("the learning rate must be a positive number, got " + lr);
    }
    if (momentum < 0 || momentum >= 1) {
      throw new CondenseException("the momentum must be in [0, 1), got " + momentum);
    }
    if (weightDecay < 0) {
      throw new CondenseException("the weight decay must be ≥ 0, got " + weightDecay);
    }
  }

  /** The defaults: 10 epochs, batch 64, lr 0.01, momentum 0.9, weight decay 5e-4, constant lr, seed 1. */
  public static TrainConfig defaults() {
    return new TrainConfig(10, 64, 0.01, 0.9, 5e-4, new LrSchedule.Constant(), 1);
  }

  public TrainConfig withEpochs(int e) {
    return new TrainConfig(e, batchSize, lr, momentum, weightDecay, schedule, seed, distillation);
  }

  public TrainConfig withLr(double l) {
    return new TrainConfig(epochs, batchSize, l, momentum, weightDecay, schedule, seed, distillation);
  }

  public TrainConfig withBatchSize(int b) {
    return new TrainConfig(epochs, b, lr, momentum, weightDecay, schedule, seed, distillation);
  }

  public TrainConfig withSchedule(LrSchedule s) {
    return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, s, seed, distillation);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, schedule, s, distillation);
  }

  public TrainConfig withWeightDecay(double wd) {
    return new TrainConfig(epochs, batchSize, lr, momentum, wd, schedule, seed, distillation);
  }

  public TrainConfig withDistillation(Distillation d) {
    return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, schedule, seed, d);
  }
}
