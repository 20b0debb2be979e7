package dev.condense.data.image;

import dev.condense.CondenseException;
import java.nio.file.Path;

/**
 * What a JPEG file declares in its frame header (SOF): size and number of components, read by
 * walking the markers before anything is decoded. Only the Huffman-coded 8-bit processes
 * (baseline, extended, progressive) with 1 or 3 components are accepted. The declared size must
 * fit in the file: every 8×8 block of the first component costs at least one bit of DC code, so
 * a file of {@code n} bytes holds at most {@code 8n} blocks.
 */
record JpegHeader(int width, int height, int components) {
  /** Slack for the smallest legal files: a few blocks of an 8×8 image need some bits beyond the headers. */
  private static final long SLACK_BLOCKS = 64;

  /** The frame header of the JPEG file {@code file} whose bytes are {@code data} (SOI checked by the caller). */
  static JpegHeader read(byte[] data, Path file) {
    int at = 2;
    while (true) {
      while (at < data.length && (data[at] & 0xff) != 0xff) {
        at++; // garbage between segments: libjpeg skips it with a warning
      }
      while (at < data.length && (data[at] & 0xff) == 0xff) {
        at++; // fill bytes
      }
      if (at + 2 >= data.length) {
        throw new CondenseException(file + ": truncated JPEG file (it ends before its frame header)");
      }
      int marker = data[at] & 0xff;
      int length = (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff);
      if (marker == 0xd9 || marker == 0xda) {
        throw new CondenseException(file + ": corrupt JPEG file (no frame header before the image data)");
      }
      if (marker >= 0xd0 && marker <= 0xd8 || marker == 0x01) {
        at++; // markers without a length
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
        return frame(data, at + 3, marker, file);
      }
      at += 1 + length;
    }
  }

  private static JpegHeader frame(byte[] data, int at, int marker, Path file) {
    if (marker != 0xc0 && marker != 0xc1 && marker != 0xc2) {
      throw new CondenseException(file + ": unsupported JPEG process (SOF" + (marker - 0xc0)
          + ": lossless, hierarchical or arithmetic-coded); only baseline, extended and progressive Huffman JPEG are read");
    }
    if (at + 6 > data.length) {
      throw new CondenseException(file + ": truncated JPEG file (in its frame header)");
    }
    int precision = data[at] & 0xff;
    int height = (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff);
    int width = (data[at + 3] & 0xff) << 8 | (data[at + 4] & 0xff);
    int components = data[at + 5] & 0xff;
    if (precision != 8) {
      throw new CondenseException(file + ": unsupported JPEG with " + precision + "-bit samples (8-bit is read)");
    }
    if (width == 0 || height == 0) {
      throw new CondenseException(file + ": unsupported JPEG of " + width + "x" + height
          + " pixels (a height given later by a DNL marker is not read)");
    }
    if (components != 1 && components != 3) {
      throw new CondenseException(file + ": unsupported JPEG with " + components
          + " components (gray and YCbCr/RGB are read, not CMYK)");
    }
    long blocks = ((width + 7L) / 8) * ((height + 7L) / 8);
    if (blocks > 8L * data.length + SLACK_BLOCKS) {
      throw new CondenseException(file + ": JPEG declares " + width + "x" + height + " pixels, more than its "
          + data.length + " bytes can hold (a truncated or corrupt file)");
    }
    return new JpegHeader(width, height, components);
  }
}
