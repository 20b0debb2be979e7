package dev.condense.data.image;

import dev.condense.CondenseException;

/** A height and a width in pixels (a centre crop's). */
public record Size(int height, int width) {
  public Size {
    if (height < 1 || width < 1 || height > 65536 || width > 65536) {
      throw new CondenseException("crop size must be in 1..65536, got " + height + "x" + width);
    }
  }
}
