package dev.condense.data;

import dev.condense.CondenseException;
import java.util.Arrays;

/**
 * A training set and the test set it is evaluated on. Both must have the same sample shape and
 * number of classes, since one model reads both. {@code augmentation} is the training-time
 * transform every training on this split applies (null: none); evaluation never does.
 */
public record DataSplit(Dataset train, Dataset test, Augmentation augmentation) {

  /** A split whose training is not augmented. */
  public DataSplit(Dataset train, Dataset test) {
    this(train, test, null);
  }

  public DataSplit {
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
    return new DataSplit(train.head(n), test.head(n), augmentation);
  }

  /** Both sets read with {@code p} instead of their own preprocessing. */
  public DataSplit preprocessed(Preprocess p) {
    return new DataSplit(train.preprocessed(p), test.preprocessed(p), augmentation);
  }

  /** The same sets, training augmented by {@code a} (null: not augmented). */
  public DataSplit withAugmentation(Augmentation a) {
    return new DataSplit(train, test, a);
  }
}
