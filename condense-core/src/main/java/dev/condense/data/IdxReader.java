package dev.condense.data;

import dev.condense.CondenseException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads labelled images in the IDX format of MNIST and Fashion-MNIST: an image file (magic
 * {@code 0x00000803}, unsigned bytes N×H×W, one channel; or magic {@code 0x00000804}, unsigned
 * bytes N×H×W×C, channels last with C = 1 or 3 — RGB images written as NumPy's [N, H, W, 3] —
 * any other last dimension refused, since a 4-D IDX file does not say where its channels are) and
 * a label file (magic {@code 0x00000801}, N unsigned bytes), each raw or gzip-compressed
 * (recognised by content, not by name). A damaged or mismatched pair is a one-line
 * {@link CondenseException} naming the file: missing, wrong magic, truncated, counts that
 * disagree, labels out of range.
 */
public final class IdxReader {
  /** Magic number of an IDX file of unsigned bytes with 3 dimensions: images N×H×W. */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an IDX file of unsigned bytes with 4 dimensions: images N×H×W×C, channels last. */
  public static final int COLOR_IMAGES_MAGIC = 0x00000804;
  /** Magic number of an IDX file of unsigned bytes with 1 dimension: labels N. */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /** Reads the image file and label file at the given paths into a one-channel data set. */
  public static ImageSet read(Path images, Path labels, String name, int numClasses,
      Normalization norm) {
    return readPair(images, labels).toDataset(name, numClasses, norm);
  }

  /**
   * Reads an image stream and a label stream (for instance classpath resources) to their end;
   * {@code imagesName} and {@code labelsName} name them in messages. The caller closes them.
   */
  public static ImageSet read(InputStream images, String imagesName, InputStream labels,
      String labelsName, String name, int numClasses, Normalization norm) {
    return read(DataFile.of(images, imagesName), DataFile.of(labels, labelsName))
        .toDataset(name, numClasses, norm);
  }

  /** The pixels and labels of a pair of files, before the number of classes is fixed. */
  static Contents readPair(Path images, Path labels) {
    try (DataFile l = DataFile.open(labels); DataFile i = DataFile.open(images)) {
      return read(i, l);
    }
  }

  private static Contents read(DataFile images, DataFile labels) {
    readMagic(labels, "IDX label file", "8-byte IDX label file header", LABELS_MAGIC);
    int count = readCount(labels, "8-byte IDX label file header");
    byte[] labelBytes = labels.readExactly(count, count + " labels");
    labels.expectEnd("the " + count + " labels");

    int magic = readMagic(images, "IDX image file", "16-byte IDX image file header", IMAGES_MAGIC, COLOR_IMAGES_MAGIC);
    String header = (magic == IMAGES_MAGIC ? 16 : 20) + "-byte IDX image file header";
    int n = readCount(images, header);
    int height = readDimension(images, "height", header);
    int width = readDimension(images, "width", header);
    int channels = magic == IMAGES_MAGIC ? 1 : readDimension(images, "channel count", header);
    if (channels != 1 && channels != 3) {
      throw images.error("a 4-D IDX image file of " + n + "×" + height + "×" + width + "×" + channels
          + ": Condense reads N×height×width×channels with 1 or 3 channels (channels last), and the last "
          + "dimension is " + channels);
    }
    if (n != count) {
      throw new CondenseException(images.name() + " holds " + n + " images but "
          + labels.name() + " holds " + count + " labels");
    }
    String what = n + " images of " + height + "×" + width + (channels == 1 ? "" : "×" + channels);
    long bytes; // four dimensions of up to 2^31 each can overflow a long
    try {
      bytes = Math.multiplyExact(Math.multiplyExact((long) n * height, (long) width), (long) channels);
    } catch (ArithmeticException e) {
      bytes = Long.MAX_VALUE;
    }
    byte[] pixels = images.readExactly(bytes, what);
    images.expectEnd("the " + what);

    int[] ids = new int[count];
    for (int k = 0; k < count; k++) {
      ids[k] = labelBytes[k] & 0xff;
    }
    return new Contents(channels == 1 ? pixels : channelsFirst(pixels, n, height * width, channels), ids, channels,
        height, width, labels.name());
  }

  /** N×(H·W)×C interleaved pixels as N×C×(H·W) planes, the layout of an {@link ImageSet}. */
  private static byte[] channelsFirst(byte[] hwc, int n, int plane, int channels) {
    byte[] chw = new byte[hwc.length];
    for (int i = 0; i < n; i++) {
      int base = i * plane * channels;
      for (int j = 0; j < plane; j++) {
        for (int c = 0; c < channels; c++) {
          chw[base + c * plane + j] = hwc[base + j * channels + c];
        }
      }
    }
    return chw;
  }

  /** The magic number, which must be one of {@code accepted}; {@code header} names the header if the file ends. */
  private static int readMagic(DataFile f, String kind, String header, int... accepted) {
    int found = f.readInt(header);
    for (int m : accepted) {
      if (found == m) {
        return found;
      }
    }
    StringBuilder expected = new StringBuilder();
    for (int m : accepted) {
      expected.append(expected.length() == 0 ? "" : " or ").append(String.format("0x%08x", m));
    }
    throw f.error(String.format("not an %s: magic 0x%08x (%s), expected %s", kind, found, describe(found), expected));
  }

  /** The sample count after the magic number. */
  private static int readCount(DataFile f, String header) {
    int count = f.readInt(header);
    if (count < 0) {
      throw f.error("implausible sample count " + Integer.toUnsignedString(count) + " in its header");
    }
    return count;
  }

  private static int readDimension(DataFile f, String which, String header) {
    int d = f.readInt(header);
    if (d <= 0) {
      throw f.error("implausible image " + which + " " + Integer.toUnsignedString(d) + " in its header");
    }
    return d;
  }

  /** What a magic number says the file is, for the error message. */
  private static String describe(int magic) {
    if (magic == IMAGES_MAGIC || magic == COLOR_IMAGES_MAGIC) {
      return "an IDX image file";
    }
    if (magic == LABELS_MAGIC) {
      return "an IDX label file";
    }
    if ((magic >>> 16) == 0) {
      return String.format("IDX data of type 0x%02x with %d dimensions", (magic >>> 8) & 0xff,
          magic & 0xff);
    }
    return "not IDX";
  }

  /** Pixels N×H×W and labels of a pair of IDX files; {@code labelsName} names the label file. */
  record Contents(byte[] pixels, int[] labels, int channels, int height, int width, String labelsName) {

    /** The largest label, or −1 without samples. */
    int maxLabel() {
      int max = -1;
      for (int l : labels) {
        max = Math.max(max, l);
      }
      return max;
    }

    /** A data set of {@code channels} channels; a label outside {@code 0 .. numClasses−1} is an error. */
    ImageSet toDataset(String name, int numClasses, Normalization norm) {
      for (int k = 0; k < labels.length; k++) {
        if (labels[k] >= numClasses) {
          throw new CondenseException(labelsName + ": label " + labels[k]
              + " of sample " + k + " is outside 0.." + (numClasses - 1));
        }
      }
      return new ImageSet(name, pixels, labels, channels, height, width, numClasses, norm);
    }
  }
}
