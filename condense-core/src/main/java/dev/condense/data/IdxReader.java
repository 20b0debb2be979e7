package dev.condense.data;

import dev.condense.CondenseException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads labelled images in the IDX format of MNIST and Fashion-MNIST: an image file (magic
 * {@code 0x00000803}, unsigned bytes N×H×W) and a label file (magic {@code 0x00000801}, N
 * unsigned bytes), each raw or gzip-compressed (recognised by content, not by name). A damaged or
 * mismatched pair is a one-line {@link CondenseException} naming the file: missing,
 * wrong magic, truncated, counts that disagree, labels out of range.
 */
public final class IdxReader {
  /** Magic number of an IDX file of unsigned bytes with 3 dimensions: images N×H×W. */
  public static final int IMAGES_MAGIC = 0x00000803;
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
    int count = readCount(labels, LABELS_MAGIC, "IDX label file", 8);
    byte[] labelBytes = labels.readExactly(count, count + " labels");
    labels.expectEnd("the " + count + " labels");

    int n = readCount(images, IMAGES_MAGIC, "IDX image file", 16);
    int height = readDimension(images, "height");
    int width = readDimension(images, "width");
    if (n != count) {
      throw new CondenseException(images.name() + " holds " + n + " images but "
          + labels.name() + " holds " + count + " labels");
    }
    String what = n + " images of " + height + "×" + width;
    byte[] pixels = images.readExactly((long) n * height * width, what);
    images.expectEnd("the " + what);

    int[] ids = new int[count];
    for (int k = 0; k < count; k++) {
      ids[k] = labelBytes[k] & 0xff;
    }
    return new Contents(pixels, ids, height, width, labels.name());
  }

  /** Checks the magic number and returns the sample count that follows it. */
  private static int readCount(DataFile f, int magic, String kind, int headerBytes) {
    String header = headerBytes + "-byte " + kind + " header";
    int found = f.readInt(header);
    if (found != magic) {
      throw f.error(String.format("not an %s: magic 0x%08x (%s), expected 0x%08x", kind, found,
          describe(found), magic));
    }
    int count = f.readInt(header);
    if (count < 0) {
      throw f.error("implausible sample count " + Integer.toUnsignedString(count) + " in its header");
    }
    return count;
  }

  private static int readDimension(DataFile f, String which) {
    int d = f.readInt("16-byte IDX image file header");
    if (d <= 0) {
      throw f.error("implausible image " + which + " " + Integer.toUnsignedString(d) + " in its header");
    }
    return d;
  }

  /** What a magic number says the file is, for the error message. */
  private static String describe(int magic) {
    if (magic == IMAGES_MAGIC) {
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
  record Contents(byte[] pixels, int[] labels, int height, int width, String labelsName) {

    /** The largest label, or −1 without samples. */
    int maxLabel() {
      int max = -1;
      for (int l : labels) {
        max = Math.max(max, l);
      }
      return max;
    }

    /** A one-channel data set; a label outside {@code 0 .. numClasses−1} is an error. */
    ImageSet toDataset(String name, int numClasses, Normalization norm) {
      for (int k = 0; k < labels.length; k++) {
        if (labels[k] >= numClasses) {
          throw new CondenseException(labelsName + ": label " + labels[k]
              + " of sample " + k + " is outside 0.." + (numClasses - 1));
        }
      }
      return new ImageSet(name, pixels, labels, 1, height, width, numClasses, norm);
    }
  }
}
