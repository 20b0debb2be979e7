package dev.condense.data.image;

import dev.condense.CondenseException;

/**
 * A resize: to {@code height}×{@code width}, or, with {@code shorterSide}, the shorter side to
 * {@code height} (= {@code width}) keeping the aspect ratio, as torchvision's {@code Resize(int)}.
 */
public record Resize(int height, int width, boolean shorterSide, Interpolation interpolation) {
  public Resize {
    if (height < 1 || width < 1 || height > 65536 || width > 65536) {
      throw new CondenseException("resize size must be in 1..65536, got " + height + "x" + width);
    }
    if (shorterSide && height != width) {
      throw new IllegalArgumentException("a shorter-side resize has one size");
    }
  }
}
