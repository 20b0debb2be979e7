package dev.condense.pipeline;

/**
 * The upper bounds of every numeric setting a user gives, on the command line or in a recipe
 * (issue 17 §2: no setting without one), in one place so that both read the same numbers. A
 * value beyond its bound is refused before any work starts, naming the option or field.
 */
public final class Bounds {
  /** The most epochs of any training: 10,000 passes over even 100 images is a day's run. */
  public static final int MAX_EPOCHS = 10_000;
  /** The largest learning rate: SGD diverges long before (the defaults are 0.001 to 0.1). */
  public static final double MAX_LR = 10;
  /** The most prune/retrain rounds (structured pruning is also bounded by the model's channels). */
  public static final int MAX_ROUNDS = 1_000;
  /** The largest weight decay: an L2 factor of 1 already outweighs any loss. */
  public static final double MAX_WEIGHT_DECAY = 1;
  /** The most images or samples a step may draw (calibration, channel selection, APoZ). */
  public static final int MAX_SAMPLES = 10_000_000;
  /** The largest channel alignment: no runtime blocks channels in more than 4,096. */
  public static final int MAX_ALIGN = 4096;
  /** The largest batch a recipe may ask for (memory bounds it further when the plan is made). */
  public static final int MAX_BATCH = 1 << 20;
  /** The largest top-1 drop a step may be allowed, in points: all of it. */
  public static final double MAX_DROP_POINTS = 100;

  private Bounds() {}
}
