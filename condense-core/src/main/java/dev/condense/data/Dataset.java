package dev.condense.data;

/**
 * Labelled samples a classification model reads, batch by batch: each sample already as the
 * model's input expects it (its {@link Preprocess} applied), with its class. Implementations hold
 * the samples in memory ({@link ImageSet}; arrays) or read them from files as they are asked for
 * (image folders); callers only ever {@link #fill} batches, so a data set larger than memory is
 * streamed.
 *
 * <p>A data set is immutable: filling a batch twice gives the same values.
 */
public interface Dataset {
  String name();

  int size();

  /** The shape of one sample as the model reads it, e.g. [channels, height, width]. */
  int[] sampleShape();

  int numClasses();

  /** How stored samples become the model's input. */
  Preprocess preprocess();

  /**
   * The same stored samples read with {@code p} instead of {@link #preprocess()}; an error naming
   * the data set if they cannot be (e.g. a resize of arrays that are not images).
   */
  Dataset preprocessed(Preprocess p);

  /** The class of sample {@code i}. */
  int label(int i);

  /**
   * Writes samples {@code order[from .. from+count)} (or {@code from .. from+count} when
   * {@code order} is null) into {@code x}, row-major, sample after sample, and their labels into
   * {@code y} (unless null).
   */
  void fill(int[] order, int from, int count, float[] x, int[] y);

  /**
   * Why the samples cannot feed a model's integer input (int64 token ids, held by the engine as
   * float32, exact up to 2^24): e.g. they are stored as floats, or an id is beyond 2^24; null
   * where every value is such an id. By default they cannot.
   */
  default String notTokenIds() {
    return "data set '" + name() + "' holds no integer arrays";
  }

  /** Floats per sample: the product of {@link #sampleShape()}. */
  default int sampleSize() {
    int s = 1;
    for (int d : sampleShape()) {
      s *= d;
    }
    return s;
  }

  /** Samples {@code [from, to)}. */
  default Dataset slice(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IllegalArgumentException("slice " + from + ".." + to + " of " + size());
    }
    int[] indices = new int[to - from];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = from + i;
    }
    return subset(indices, name());
  }

  /** The first {@code n} samples (this set itself if {@code n} ≥ size). */
  default Dataset head(int n) {
    return n >= size() ? this : slice(0, n);
  }

  /** The samples at {@code indices}, in that order, under the name {@code name}. */
  default Dataset subset(int[] indices, String name) {
    return new Subset(this, indices, name);
  }

  /** Number of samples of each class, indexed by label. */
  default int[] classCounts() {
    int[] counts = new int[numClasses()];
    for (int i = 0; i < size(); i++) {
      counts[label(i)]++;
    }
    return counts;
  }

  /** A short description: name, size, sample shape and classes. */
  static String describe(Dataset d) {
    StringBuilder shape = new StringBuilder();
    for (int k : d.sampleShape()) {
      shape.append(shape.length() == 0 ? "" : "×").append(k);
    }
    return d.name() + " (" + d.size() + " samples, " + shape + ", " + d.numClasses() + " classes)";
  }
}
