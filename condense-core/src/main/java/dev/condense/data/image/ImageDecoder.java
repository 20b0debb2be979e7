package dev.condense.data.image;

import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a PNG or JPEG file into an {@link Image} with the pixels PIL gives it: gray files (PIL
 * modes 1, L, LA, I) one channel, all others three channels RGB, alpha dropped — the image
 * torchvision's {@code ImageFolder} loader starts from, before any transform. PNG is bit-exact
 * with Pillow 9.4; JPEG is decoded by the JDK's libjpeg 6b, which gave PIL's libjpeg-turbo bytes
 * exactly on every test file ({@code ImageDecoderTest} holds the bound). Every bad file — missing, empty,
 * not PNG or JPEG, truncated, corrupt, or declaring more pixels than its bytes can hold — is a
 * {@link CondenseException} naming the file, raised before any large allocation.
 */
public final class ImageDecoder {
  /** Larger image files are refused: no image Condense reads is near this (byte arrays stop at 2 GiB). */
  private static final long MAX_FILE_BYTES = 1L << 30;

  private ImageDecoder() {}

  /** The image in {@code file}. Thread-safe: each call uses its own reader. */
  public static Image decode(Path file) {
    byte[] data = readFile(file);
    if (startsWith(data, PngHeader.SIGNATURE)) {
      PngHeader h = PngHeader.read(data, file);
      checkOutput(file, "PNG", h.width(), h.height(), h.samplesPerPixel() * (h.bitDepth() == 16 ? 2 : 1));
      BufferedImage image = ImageIoDecode.read(data, "png", file);
      checkSize(file, image, h.width(), h.height());
      return PilPixels.png(image, h);
    }
    if (data.length >= 3 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xd8 && (data[2] & 0xff) == 0xff) {
      JpegHeader h = JpegHeader.read(data, file);
      checkOutput(file, "JPEG", h.width(), h.height(), 4);
      BufferedImage image = ImageIoDecode.read(data, "jpeg", file);
      checkSize(file, image, h.width(), h.height());
      return PilPixels.jpeg(image, h.components());
    }
    throw new CondenseException(file + ": not a PNG or JPEG file" + FileKind.describe(data));
  }

  private static byte[] readFile(Path file) {
    try {
      long size = Files.size(file);
      if (size == 0) {
        throw new CondenseException(file + ": empty file (0 bytes), not an image");
      }
      if (size > MAX_FILE_BYTES) {
        throw new CondenseException(file + ": " + size + " bytes, larger than the 1 GiB an image file may have");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CondenseException(file + ": no such file");
    } catch (IOException e) {
      throw new CondenseException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Refuses, before decoding, an image whose pixels cannot fit: one int array per pixel row set,
   * or more than one tensor may take ({@link MemoryLimit#forThisHeap}). Decoding holds the
   * decoder's image ({@code decodedBytesPerPixel}) and Condense's planar copy (up to 4 bytes a
   * pixel) at once; a PNG of zeros packs 768 MiB of pixels into under a megabyte.
   */
  private static void checkOutput(Path file, String format, int width, int height, int decodedBytesPerPixel) {
    long pixels = (long) width * height;
    if (pixels * 4 > Integer.MAX_VALUE - 16) {
      throw new CondenseException(file + ": image of " + width + "x" + height + " pixels is too large to decode");
    }
    long need = pixels * (decodedBytesPerPixel + 4);
    MemoryLimit limit = MemoryLimit.forThisHeap();
    if (need > limit.tensorBytes()) {
      throw new CondenseException(file + ": " + format + " of " + width + "x" + height + " pixels would need "
          + MemoryLimit.describe(need) + " to decode, more than the " + MemoryLimit.describe(limit.tensorBytes())
          + " one image may take (" + limit.source() + ")");
    }
  }

  private static void checkSize(Path file, BufferedImage image, int width, int height) {
    if (image.getWidth() != width || image.getHeight() != height) {
      throw new CondenseException(file + ": corrupt file (declares " + width + "x" + height + ", decodes to "
          + image.getWidth() + "x" + image.getHeight() + ")");
    }
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
  }
}
