package dev.condense.data;

import dev.condense.CondenseException;
import java.util.Arrays;

/**
 * A training set and the test set it is evaluated on. Both must have the same sample shape and
 * number of classes, since one model reads both. {@code augmentation} is the training-time
 * transform every training on this split applies (null: none); evaluation never does.
 * {@code calibrationImages} > 0 limits what data-driven steps (APoZ, channel selection, sensitivity)
 * look at to a seeded sample of that many images ({@link #calibration}); 0: all of them.
 */
public record DataSplit(Dataset train, Dataset test, Augmentation augmentation, int calibrationImages,
    long calibrationSeed, Dataset validation) {

  /** A split whose training is not augmented and whose data-driven steps see all samples. */
  public DataSplit(Dataset train, Dataset test) {
    this(train, test, null, 0, 0);
  }

  /** A split without a validation set. */
  public DataSplit(Dataset train, Dataset test, Augmentation augmentation, int calibrationImages, long calibrationSeed) {
    this(train, test, augmentation, calibrationImages, calibrationSeed, null);
  }

  public DataSplit {
    if (calibrationImages < 0) {
      throw new CondenseException("the number of calibration images must be ≥ 1, got " + calibrationImages);
    }
    // An empty set would "evaluate" to top-1 0.00% over 0 samples, or train on nothing.
    for (Dataset d : new Dataset[] {train, test}) {
      if (d.size() == 0) {
        throw new CondenseException(d.name() + ": no samples (an empty data set cannot train or evaluate a model)");
      }
    }
    if (!Arrays.equals(train.sampleShape(), test.sampleShape())
        || train.numClasses() != test.numClasses()) {
      throw new CondenseException("training set " + train + " and test set " + test
          + " do not match in sample shape or number of classes");
    }
  }

  /** The first {@code n} samples of each set (all of a set smaller than {@code n}). */
  public DataSplit head(int n) {
    return new DataSplit(train.head(n), test.head(n), augmentation, calibrationImages, calibrationSeed,
        validation == null ? null : validation.head(n));
  }

  /** Both sets read with {@code p} instead of their own preprocessing. */
  public DataSplit preprocessed(Preprocess p) {
    return new DataSplit(train.preprocessed(p), test.preprocessed(p), augmentation, calibrationImages, calibrationSeed,
        validation == null ? null : validation.preprocessed(p));
  }

  /** The same sets, training augmented by {@code a} (null: not augmented). */
  public DataSplit withAugmentation(Augmentation a) {
    return new DataSplit(train, test, a, calibrationImages, calibrationSeed, validation);
  }

  /** The same sets, data-driven steps limited to {@code images} images drawn with {@code seed}. */
  public DataSplit withCalibration(int images, long seed) {
    if (images < 1) {
      throw new CondenseException("the number of calibration images must be ≥ 1, got " + images);
    }
    return new DataSplit(train, test, augmentation, images, seed, validation);
  }

  /**
   * {@code n} training samples drawn with {@code seed} held out as a validation set: decisions a
   * run makes on accuracy (how far to compress within a drop) are taken on them, never on the
   * test set, and training no longer sees them.
   */
  public DataSplit withValidation(int n, long seed) {
    if (n < 1 || n >= train.size()) {
      throw new CondenseException("a validation set of " + n + " samples needs 1 to " + (train.size() - 1)
          + " of the " + train.size() + " training samples");
    }
    int[] order = Batches.order(train.size(), seed, 1, true);
    int[] held = Arrays.copyOf(order, n);
    int[] kept = Arrays.copyOfRange(order, n, order.length);
    Arrays.sort(held);
    Arrays.sort(kept);
    Dataset v = train.subset(held, train.name() + " (validation: " + n + " held out)");
    Dataset t = train.subset(kept, train.name() + " (without the " + n + " validation samples)");
    return new DataSplit(t, test, augmentation, calibrationImages, calibrationSeed, v);
  }

  /**
   * The samples of {@code set} a data-driven step looks at: all of them, or a seeded sample of
   * {@link #calibrationImages()} of them (in their order in the set, so a streamed set is read
   * forwards), named with the count so reports say how many were used.
   */
  public Dataset calibration(Dataset set) {
    if (calibrationImages == 0 || calibrationImages >= set.size()) {
      return set;
    }
    int[] order = Batches.order(set.size(), calibrationSeed, 0, true);
    int[] pick = Arrays.copyOf(order, calibrationImages);
    Arrays.sort(pick);
    return set.subset(pick, set.name() + " (calibration: " + calibrationImages + " of " + set.size() + ")");
  }
}
