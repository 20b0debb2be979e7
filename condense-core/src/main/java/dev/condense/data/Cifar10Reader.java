package dev.condense.data;

import dev.condense.CondenseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the binary version of CIFAR-10: files of 3073-byte records, each one label byte (0..9)
 * and a 32×32 image as three planes, red, green, blue — already the CHW layout {@link Dataset}
 * keeps, so pixels are read straight into place. The sizes of all files are checked before
 * anything is allocated; a bad file is a one-line {@link CondenseException} naming it.
 */
public final class Cifar10Reader {
  public static final int SIDE = 32;
  public static final int CHANNELS = 3;
  public static final int NUM_CLASSES = 10;
  /** Bytes per image: 3 planes of 32×32. */
  public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
  /** Bytes per record: the label and the image. */
  public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
  /** The folder that {@code cifar-10-binary.tar.gz} unpacks to. */
  public static final String DIRECTORY = "cifar-10-batches-bin";
  public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
      "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
  public static final String TEST_FILE = "test_batch.bin";

  private Cifar10Reader() {}

  /** Reads the records of {@code files}, in order, into one data set. */
  public static ImageSet read(List<Path> files, String name, Normalization norm) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no CIFAR-10 files given for " + name);
    }
    List<DataFile> opened = new ArrayList<>();
    try {
      long records = 0;
      for (Path p : files) {
        DataFile f = DataFile.open(p);
        opened.add(f);
        records += recordsIn(f);
      }
      if (records * IMAGE_BYTES > DataFile.MAX_ARRAY) {
        throw new CondenseException(name + ": " + records + " CIFAR-10 images are too many for one data set");
      }
      byte[] pixels = new byte[(int) records * IMAGE_BYTES];
      int[] labels = new int[(int) records];
      int at = 0;
      for (DataFile f : opened) {
        at = readRecords(f, pixels, labels, at);
      }
      return new ImageSet(name, pixels, labels, CHANNELS, SIDE, SIDE, NUM_CLASSES, norm);
    } finally {
      for (DataFile f : opened) {
        f.close();
      }
    }
  }

  /**
   * Reads the standard files from {@code dir}, or from {@code dir/cifar-10-batches-bin} if that
   * exists: training set {@code data_batch_1..5.bin}, test set {@code test_batch.bin}.
   */
  public static DataSplit readDirectory(Path dir, Normalization norm) {
    if (!Files.isDirectory(dir)) {
      throw new CondenseException(dir + ": no such directory");
    }
    Path base = Files.isDirectory(dir.resolve(DIRECTORY)) ? dir.resolve(DIRECTORY) : dir;
    List<Path> train = TRAIN_FILES.stream().map(base::resolve).toList();
    Path test = base.resolve(TEST_FILE);
    List<String> missing = Stream.concat(train.stream(), Stream.of(test))
        .filter(p -> !Files.isRegularFile(p)).map(p -> p.getFileName().toString()).toList();
    if (!missing.isEmpty()) {
      throw new CondenseException(base + ": missing " + String.join(", ", missing)
          + " (expected the binary version of CIFAR-10, " + DIRECTORY + "/)");
    }
    return new DataSplit(read(train, "cifar10/train", norm), read(List.of(test), "cifar10/test", norm));
  }

  /** Number of records in a file, from its size. */
  private static long recordsIn(DataFile f) {
    if (f.gzip()) {
      throw f.error("gzip-compressed; CIFAR-10 batch files are plain binary (unpack the archive first)");
    }
    long size = f.remaining();
    if (size == 0) {
      throw f.error("empty file, expected " + RECORD_BYTES + "-byte CIFAR-10 records");
    }
    if (size % RECORD_BYTES != 0) {
      throw f.error("truncated: " + size + " bytes are not a whole number of " + RECORD_BYTES
          + "-byte CIFAR-10 records (" + size / RECORD_BYTES + " records and " + size % RECORD_BYTES
          + " bytes)");
    }
    return size / RECORD_BYTES;
  }

  /** Reads every record of {@code f} into sample {@code at} onwards; returns the next free sample. */
  private static int readRecords(DataFile f, byte[] pixels, int[] labels, int at) {
    long count = f.remaining() / RECORD_BYTES;
    byte[] label = new byte[1];
    for (long r = 0; r < count; r++, at++) {
      if (f.readUpTo(label, 0, 1) < 1 || f.readUpTo(pixels, at * IMAGE_BYTES, IMAGE_BYTES) < IMAGE_BYTES) {
        throw f.error("truncated: the file ended while being read (record " + r + ")");
      }
      int l = label[0] & 0xff;
      if (l >= NUM_CLASSES) {
        throw f.error("corrupt: label " + l + " in record " + r + ", CIFAR-10 labels are 0..9");
      }
      labels[at] = l;
    }
    return at;
  }
}
