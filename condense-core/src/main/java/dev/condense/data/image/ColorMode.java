package dev.condense.data.image;

/**
 * The colour channels a model reads: as the file stores them, one gray channel, or three in RGB
 * or BGR order (PIL's {@code convert("L")} and {@code convert("RGB")}; BGR is RGB reversed, as
 * OpenCV-trained models expect).
 */
public enum ColorMode {
  KEEP, GRAY, RGB, BGR;

  /** The channels an image of {@code channels} channels has after conversion. */
  public int channels(int channels) {
    return switch (this) {
      case KEEP -> channels;
      case GRAY -> 1;
      case RGB, BGR -> 3;
    };
  }
}
