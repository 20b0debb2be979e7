package dev.condense.data.image;

import dev.condense.CondenseException;
import java.nio.file.Path;

/**
 * What a PNG file declares before its pixels — size, bit depth, colour type, interlacing, palette
 * — read from the chunks up to the first {@code IDAT} and checked before anything is decoded:
 * the declared pixels must fit in the bytes the file has (deflate expands at most 1032 to 1), so
 * a tiny file that claims a huge image is refused before any large allocation.
 *
 * @param palette the {@code PLTE} entries (RGB triples), empty if none
 */
record PngHeader(int width, int height, int bitDepth, int colorType, boolean interlaced, byte[] palette) {
  /** The eight bytes every PNG file starts with. */
  static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** zlib's deflate compresses at most 1032:1 (RFC 1951's longest match per shortest code). */
  private static final long DEFLATE_MAX_RATIO = 1032;

  static final int GRAY = 0;
  static final int RGB = 2;
  static final int PALETTE = 3;
  static final int GRAY_ALPHA = 4;
  static final int RGBA = 6;

  /** Samples per pixel of the colour type. */
  int samplesPerPixel() {
    return switch (colorType) {
      case GRAY, PALETTE -> 1;
      case GRAY_ALPHA -> 2;
      case RGB -> 3;
      default -> 4;
    };
  }

  /** The header of the PNG file {@code file} whose bytes are {@code data} (signature checked by the caller). */
  static PngHeader read(byte[] data, Path file) {
    int at = SIGNATURE.length;
    if (data.length < at + 8 + 13 + 4 || !type(data, at + 4).equals("IHDR") || int32(data, at) != 13) {
      throw new CondenseException(file + ": truncated or corrupt PNG file (no IHDR header)");
    }
    long width = int32(data, at + 8) & 0xffffffffL;
    long height = int32(data, at + 12) & 0xffffffffL;
    int bitDepth = data[at + 16] & 0xff;
    int colorType = data[at + 17] & 0xff;
    int interlace = data[at + 20] & 0xff;
    if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw new CondenseException(file + ": PNG declares an image of " + width + "x" + height + " pixels");
    }
    if (!validDepth(colorType, bitDepth) || interlace > 1) {
      throw new CondenseException(file + ": corrupt PNG file (colour type " + colorType + " with bit depth "
          + bitDepth + ", interlace " + interlace + " is not a PNG format)");
    }
    PngHeader header = new PngHeader((int) width, (int) height, bitDepth, colorType, interlace == 1,
        palette(data, file));
    long rowBytes = (width * header.samplesPerPixel() * bitDepth + 7) / 8 + 1;
    long raw = rowBytes * height + (interlace == 1 ? 7 * height : 0);
    if (raw / DEFLATE_MAX_RATIO > data.length) {
      throw new CondenseException(file + ": PNG declares " + width + "x" + height + " pixels, more than its "
          + data.length + " bytes can hold (a truncated or corrupt file)");
    }
    return header;
  }

  private static boolean validDepth(int colorType, int bitDepth) {
    return switch (colorType) {
      case GRAY -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
      case PALETTE -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
      case RGB, GRAY_ALPHA, RGBA -> bitDepth == 8 || bitDepth == 16;
      default -> false;
    };
  }

  /** The PLTE chunk's entries, looked for among the chunks before the first IDAT. */
  private static byte[] palette(byte[] data, Path file) {
    int at = SIGNATURE.length;
    while (at + 8 <= data.length) {
      long length = int32(data, at) & 0xffffffffL;
      String type = type(data, at + 4);
      if (type.equals("IDAT") || type.equals("IEND")) {
        break;
      }
      if (at + 12 + length > data.length) {
        throw new CondenseException(file + ": truncated PNG file (chunk " + shown(type) + " ends after the file)");
      }
      if (type.equals("PLTE")) {
        if (length % 3 != 0 || length > 768) {
          throw new CondenseException(file + ": corrupt PNG file (PLTE chunk of " + length + " bytes)");
        }
        byte[] out = new byte[(int) length];
        System.arraycopy(data, at + 8, out, 0, out.length);
        return out;
      }
      at += 12 + (int) length;
    }
    return new byte[0];
  }

  private static int int32(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  /** A chunk type for a message: PNG's are four ASCII letters; any other byte of a corrupt file as \xNN. */
  private static String shown(String type) {
    StringBuilder b = new StringBuilder();
    for (char c : type.toCharArray()) {
      b.append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return b.toString();
  }

  private static String type(byte[] b, int at) {
    return new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
