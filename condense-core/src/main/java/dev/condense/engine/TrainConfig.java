package dev.condense.engine;

import dev.condense.CondenseException;

/**
 * Settings of a training run: SGD with momentum (PyTorch's form: v = μv + g + λw, w −= lr·v),
 * weight decay on the weight matrices and kernels (not on biases or BatchNorm parameters), a
 * learning-rate schedule, a seed for shuffling, dropout and anything else random, and optionally
 * a teacher to distil from ({@code distillation == null}: the labels alone), and the user's
 * overrides of which tensors train ({@link ParameterChoice}; by default the op table's rule:
 * parameters train, preprocessing constants, masks and shape constants do not), and optionally a
 * training-time transform of the images ({@code augmentation == null}: none).
 */
public record TrainConfig(int epochs, int batchSize, double lr, double momentum, double weightDecay,
    LrSchedule schedule, long seed, Distillation distillation, ParameterChoice parameters,
    dev.condense.data.Augmentation augmentation) {

  public TrainConfig(int epochs, int batchSize, double lr, double momentum, double weightDecay, LrSchedule schedule,
      long seed, Distillation distillation, ParameterChoice parameters) {
    this(epochs, batchSize, lr, momentum, weightDecay, schedule, seed, distillation, parameters, null);
  }

  public TrainConfig(int epochs, int batchSize, double lr, double momentum, double weightDecay, LrSchedule schedule,
      long seed, Distillation distillation) {
    this(epochs, batchSize, lr, momentum, weightDecay, schedule, seed, distillation, ParameterChoice.NONE);
  }

  public TrainConfig(int epochs, int batchSize, double lr, double momentum, double weightDecay, LrSchedule schedule,
      long seed) {
    this(epochs, batchSize, lr, momentum, weightDecay, schedule, seed, null);
  }

  public TrainConfig {
    if (parameters == null) {
      parameters = ParameterChoice.NONE;
    }
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

  /** Default epochs, batch size, learning rate, momentum and weight decay: the one place they are set. */
  public static final int EPOCHS = 10;
  public static final int BATCH = 64;
  public static final double LR = 0.01;
  public static final double MOMENTUM = 0.9;
  public static final double WEIGHT_DECAY = 5e-4;
  /** The default schedule, as {@link LrSchedule#parse} reads it. */
  public static final String SCHEDULE = "cosine";

  /**
   * The defaults of every training in Condense (the {@code train} command, recipe steps, the
   * library): 10 epochs, batch 64, lr 0.01, momentum 0.9, weight decay 5e-4, cosine schedule, seed 1.
   */
  public static TrainConfig defaults() {
    return new TrainConfig(EPOCHS, BATCH, LR, MOMENTUM, WEIGHT_DECAY, LrSchedule.parse(SCHEDULE), 1);
  }

  public TrainConfig withMomentum(double m) {
    return new TrainConfig(epochs, batchSize, lr, m, weightDecay, schedule, seed, distillation, parameters, augmentation);
  }

  public TrainConfig withEpochs(int e) {
    return new TrainConfig(e, batchSize, lr, momentum, weightDecay, schedule, seed, distillation, parameters, augmentation);
  }

  public TrainConfig withLr(double l) {
    return new TrainConfig(epochs, batchSize, l, momentum, weightDecay, schedule, seed, distillation, parameters, augmentation);
  }

  public TrainConfig withBatchSize(int b) {
    return new TrainConfig(epochs, b, lr, momentum, weightDecay, schedule, seed, distillation, parameters, augmentation);
  }

  public TrainConfig withSchedule(LrSchedule s) {
    return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, s, seed, distillation, parameters, augmentation);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, schedule, s, distillation, parameters, augmentation);
  }

  public TrainConfig withWeightDecay(double wd) {
    return new TrainConfig(epochs, batchSize, lr, momentum, wd, schedule, seed, distillation, parameters, augmentation);
  }

  /** The same settings with {@code p} overriding which tensors train. */
  public TrainConfig withParameters(ParameterChoice p) {
    return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, schedule, seed, distillation, p, augmentation);
  }

  public TrainConfig withDistillation(Distillation d) {
    return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, schedule, seed, d, parameters, augmentation);
  }

  /** The same training with images changed at random by {@code a} (null: not at all). */
  public TrainConfig withAugmentation(dev.condense.data.Augmentation a) {
    return new TrainConfig(epochs, batchSize, lr, momentum, weightDecay, schedule, seed, distillation, parameters, a);
  }
}
