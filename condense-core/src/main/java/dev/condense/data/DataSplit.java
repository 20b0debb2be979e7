package dev.condense.data;

import dev.condense.CondenseException;
import java.util.Arrays;

/**
 * A training set and the test set it is evaluated on. Both must have the same sample shape and
 * number of classes, since one model reads both.
 */
public record DataSplit(Dataset train, Dataset test) {

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
    return new DataSplit(train.head(n), test.head(n));
  }

  /** Both sets read with {@code p} instead of their own preprocessing. */
  public DataSplit preprocessed(Preprocess p) {
    return new DataSplit(train.preprocessed(p), test.preprocessed(p));
  }
}
