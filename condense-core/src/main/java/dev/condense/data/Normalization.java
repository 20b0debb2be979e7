package dev.condense.data;

import dev.condense.CondenseException;

/**
 * Per-channel input normalisation applied when samples are read: {@code x = (p/255 − mean) / std}
 * for a pixel value {@code p} in 0..255.
 */
public record Normalization(float[] mean, float[] std) {

  public Normalization {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std must have the same, non-zero length");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new CondenseException("normalisation std must be > 0, got " + s);
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** The same mean and std for every channel. */
  public static Normalization of(float mean, float std) {
    return new Normalization(new float[] {mean}, new float[] {std});
  }

  /** Pixels scaled to [0, 1] only. */
  public static final Normalization UNIT = of(0f, 1f);
  /** MNIST's usual statistics (LeCun et al.'s training set). */
  public static final Normalization MNIST = of(0.1307f, 0.3081f);
  /** Fashion-MNIST's training-set statistics. */
  public static final Normalization FASHION_MNIST = of(0.2860f, 0.3530f);
  /** CIFAR-10's training-set statistics, per RGB channel. */
  public static final Normalization CIFAR10 = new Normalization(
      new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});

  /** Mean of channel {@code c} (one value serves every channel). */
  public float meanOf(int c) {
    return mean[mean.length == 1 ? 0 : c];
  }

  public float stdOf(int c) {
    return std[std.length == 1 ? 0 : c];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && java.util.Arrays.equals(n.mean, mean)
        && java.util.Arrays.equals(n.std, std);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(mean) * 31 + java.util.Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "mean " + java.util.Arrays.toString(mean) + ", std " + java.util.Arrays.toString(std);
  }
}
