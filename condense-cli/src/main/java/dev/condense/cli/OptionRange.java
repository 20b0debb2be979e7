package dev.condense.cli;

import dev.condense.pipeline.Bounds;

/**
 * The ranges of the command line's numeric options, shared by every command that has them (issue
 * 17 §2: no option without an upper bound). Each check refuses a value outside its range with one
 * usage-error line naming the option, the range and the value, before any work starts.
 */
final class OptionRange {
  /** The bounds recipes share ({@link Bounds}). */
  static final int MAX_EPOCHS = Bounds.MAX_EPOCHS;
  static final double MAX_LR = Bounds.MAX_LR;
  static final int MAX_ROUNDS = Bounds.MAX_ROUNDS;
  static final double MAX_WEIGHT_DECAY = Bounds.MAX_WEIGHT_DECAY;

  private OptionRange() {}

  /** An integer in [min, max]. */
  static int check(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new Cli.UsageError(option + " must be between " + String.format("%,d", min) + " and "
          + String.format("%,d", max) + ", got " + value);
    }
    return value;
  }

  /** A number of epochs: 0 to {@link #MAX_EPOCHS}. */
  static int epochs(String option, int value) {
    return check(option, value, 0, MAX_EPOCHS);
  }

  /** A number of rounds: 1 to {@link #MAX_ROUNDS}. */
  static int rounds(String option, int value) {
    return check(option, value, 1, MAX_ROUNDS);
  }

  /** A learning rate: finite, above 0, at most {@link #MAX_LR}. */
  static double lr(String option, double value) {
    if (!(value > 0 && value <= MAX_LR)) {
      throw new Cli.UsageError(option + " must be a number in (0, " + (int) MAX_LR + "], got " + value);
    }
    return value;
  }

  /** A learning rate that may be left out (null: the step's default). */
  static Double lr(String option, Double value) {
    return value == null ? null : lr(option, value.doubleValue());
  }

  /** A number in [min, max] (NaN is outside every range). */
  static double check(String option, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new Cli.UsageError(option + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }
}
