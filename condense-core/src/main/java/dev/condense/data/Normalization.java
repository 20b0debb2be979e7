package dev.condense.data;

import dev.condense.CondenseException;

/**
 * Per-channel input normalisation applied when samples are read: {@code x = (p/divisor − mean) / std}
 * for a stored value {@code p} (a pixel in 0..255 with the usual divisor 255, as torchvision's
 * {@code ToTensor} + {@code Normalize} compute it; divisor 1 for data used as it is).
 */
public record Normalization(float[] mean, float[] std, float divisor) {

  /** Pixels divided by 255, then normalised. */
  public Normalization(float[] mean, float[] std) {
    this(mean, std, 255f);
  }

  public Normalization {
    if (!(divisor > 0) || Float.isInfinite(divisor)) {
      throw new CondenseException("the scale divisor must be a positive number, got " + divisor);
    }
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
  /** Values used as they are stored. */
  public static final Normalization NONE = new Normalization(new float[] {0f}, new float[] {1f}, 1f);
  /** torchvision's ImageNet statistics, per RGB channel. */
  public static final Normalization IMAGENET = new Normalization(
      new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
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
        && java.util.Arrays.equals(n.std, std) && Float.compare(n.divisor, divisor) == 0;
  }

  @Override
  public int hashCode() {
    return (java.util.Arrays.hashCode(mean) * 31 + java.util.Arrays.hashCode(std)) * 31 + Float.hashCode(divisor);
  }

  /** The same statistics over another divisor. */
  public Normalization withDivisor(float d) {
    return new Normalization(mean, std, d);
  }

  @Override
  public String toString() {
    return (divisor == 255f ? "" : "divisor " + divisor + ", ") + "mean " + java.util.Arrays.toString(mean)
        + ", std " + java.util.Arrays.toString(std);
  }
}
