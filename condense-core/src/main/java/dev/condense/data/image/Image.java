package dev.condense.data.image;

/**
 * One 8-bit image, its channels planar (CHW: all of channel 0, then channel 1, ...), as Condense
 * keeps images in memory.
 */
public record Image(byte[] pixels, int channels, int height, int width) {
  public Image {
    if (channels < 1 || height < 1 || width < 1 || pixels.length != (long) channels * height * width) {
      throw new IllegalArgumentException(pixels.length + " pixels do not make a " + channels + "×" + height + "×" + width + " image");
    }
  }
}
