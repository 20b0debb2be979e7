package dev.condense.data;

import dev.condense.CondenseException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a data specification, as given to the CLI's {@code --data}, into a training and a test
 * set:
 * <ul>
 *   <li>{@code mnist} — the 8,000/2,000 real MNIST digits built into Condense, so a demo runs
 *       offline; {@code mnist:DIR} — the full MNIST as IDX files in {@code DIR};
 *   <li>{@code fashion-mnist} — Fashion-MNIST from the Debian package
 *       {@code dataset-fashion-mnist}; {@code fashion-mnist:DIR} — from {@code DIR};
 *   <li>{@code cifar10:DIR} — the binary version of CIFAR-10;
 *   <li>{@code npz:FILE} — NumPy arrays {@code x_train}, {@code y_train}, {@code x_test},
 *       {@code y_test} (Keras' names) in one {@code .npz}; {@code npy:DIR} — the same four as
 *       {@code .npy} files in {@code DIR}. Either may instead hold only {@code x} and {@code y},
 *       split with {@code ,test=FRACTION[,seed=S]}; {@code ,classes=K} fixes the number of classes
 *       (otherwise the largest label plus one). Inputs of any shape and dtype ({@link ArraySet}),
 *       given to the model as stored — {@link Preprocess#NONE} unless a preprocessing is given;
 *   <li>{@code folder:DIR[,split=F[,seed=N]][,eval=val|test][,skip-bad]} — image folders in
 *       torchvision's {@code ImageFolder} layout ({@link FolderSources}), streamed from disk;
 *   <li>{@code DIR} — any directory holding the four standard IDX files, raw or gzip; the number
 *       of classes is the largest label plus one, the normalisation is measured on its training
 *       set. The image files may instead be 4-D ({@code train-images-idx4-ubyte},
 *       {@code t10k-images-idx4-ubyte}, magic {@code 0x00000804}): N×height×width×channels with
 *       1 or 3 channels, channels last as NumPy holds images; any other last dimension is refused,
 *       since the file does not say where its channels are ({@link IdxReader}); or, when it holds no IDX
 *       file but a {@code train/} folder, image folders as {@code folder:DIR}.
 * </ul>
 * Image folders are decoded with the {@link FolderOptions} the caller passes
 * ({@link #resolve(String, FolderOptions)}); {@link #resolve(String)} uses {@link #defaultFolderOptions()}.
 */
public final class DataSources {
  /** Where the Debian package {@code dataset-fashion-mnist} installs its files. */
  public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  /** The standard IDX file names (each may also end in {@code .gz}). */
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  /** Classpath folder of the built-in MNIST, relative to this package. */
  static final String BUILT_IN_MNIST = "mnist/";

  private static final String ACCEPTED = "mnist, mnist:DIR, fashion-mnist, fashion-mnist:DIR, "
      + "cifar10:DIR, npz:FILE, npy:DIR, folder:DIR (image folders), or a directory holding train/ and val/ image folders or " + TRAIN_IMAGES + ", " + TRAIN_LABELS + ", "
      + TEST_IMAGES + " and " + TEST_LABELS + " (each optionally .gz)";

  private DataSources() {}

  /** The training and test sets that {@code spec} names, image folders read with {@link #defaultFolderOptions()}. */
  public static DataSplit resolve(String spec) {
    return resolve(spec, null);
  }

  /**
   * How {@link #resolve(String)} reads image folders: Condense's PNG and JPEG decoder
   * ({@link dev.condense.data.image.ImageDecoder}, PIL's pixels), one decoding thread per
   * processor, bad files fatal unless the spec says {@code skip-bad}.
   */
  static FolderOptions defaultFolderOptions() {
    return new FolderOptions(dev.condense.data.image.ImageDecoder::decode, Runtime.getRuntime().availableProcessors(), false);
  }

  /**
   * The training and test sets that {@code spec} names, image folders read with {@code folders}
   * (null: {@link #defaultFolderOptions()}).
   */
  public static DataSplit resolve(String spec, FolderOptions folders) {
    String s = spec.strip();
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon);
    String dir = colon < 0 ? null : s.substring(colon + 1).strip();
    if (s.isEmpty() || (dir != null && dir.isEmpty())) {
      throw unknown(spec);
    }
    switch (kind) {
      case "mnist":
        return dir == null ? builtInMnist()
            : idxDirectory(path(dir, spec), "mnist", 10, Normalization.MNIST);
      case "fashion-mnist":
        return dir == null ? fashionMnist(FASHION_MNIST_DIR)
            : idxDirectory(path(dir, spec), "fashion-mnist", 10, Normalization.FASHION_MNIST);
      case "cifar10":
        if (dir == null) {
          throw new CondenseException("cifar10 needs a directory, cifar10:DIR, holding the binary "
              + "version of CIFAR-10 (cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, unpacked)");
        }
        return Cifar10Reader.readDirectory(path(dir, spec), Normalization.CIFAR10);
      case "npz":
      case "npy":
        if (dir == null) {
          throw new CondenseException(kind + " needs " + (kind.equals("npz") ? "a file, npz:FILE" : "a directory, npy:DIR")
              + ", holding arrays x_train, y_train, x_test, y_test (or x, y with ,test=FRACTION)");
        }
        return ArraySources.resolve(kind, dir);
      case "folder":
        return FolderSources.resolve(dir, folders == null ? defaultFolderOptions() : folders);
      default:
        Path p = path(s, spec);
        if (!Files.isDirectory(p)) {
          // "name:…" with a name longer than a drive letter is an unknown kind, not a path
          throw colon < 2 && (s.contains("/") || s.contains(File.separator))
              ? new CondenseException(s + ": no such directory; use " + ACCEPTED)
              : unknown(spec);
        }
        if (!hasIdxFile(p) && FolderSources.hasTrainFolder(p)) {
          return FolderSources.resolve(s, folders == null ? defaultFolderOptions() : folders);
        }
        return idxDirectory(p);
    }
  }

  /** Whether {@code dir} holds any of the standard IDX files (raw or gzip). */
  private static boolean hasIdxFile(Path dir) {
    for (String n : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
      if (Files.isRegularFile(dir.resolve(n)) || Files.isRegularFile(dir.resolve(n + ".gz"))) {
        return true;
      }
    }
    return false;
  }

  /** {@link #resolve(String)}, keeping only the first {@code limit} samples of each set. */
  public static DataSplit resolve(String spec, int limit) {
    return resolve(spec, null, limit);
  }

  /** {@link #resolve(String, FolderOptions)}, keeping only the first {@code limit} samples of each set. */
  public static DataSplit resolve(String spec, FolderOptions folders, int limit) {
    if (limit < 1) {
      throw new CondenseException("the sample limit must be at least 1, got " + limit);
    }
    return resolve(spec, folders).head(limit);
  }

  /** The built-in MNIST: 8,000 training and 2,000 test digits, MNIST normalisation. */
  public static DataSplit builtInMnist() {
    return new DataSplit(
        resourcePair(TRAIN_IMAGES + ".gz", TRAIN_LABELS + ".gz", "mnist/train"),
        resourcePair(TEST_IMAGES + ".gz", TEST_LABELS + ".gz", "mnist/test"));
  }

  /** Fashion-MNIST from {@code dir}, pointing at the Debian package when that is missing. */
  static DataSplit fashionMnist(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CondenseException("fashion-mnist: " + dir + " not found; install it with "
          + "`apt-get install dataset-fashion-mnist` or pass fashion-mnist:DIR");
    }
    return idxDirectory(dir, "fashion-mnist", 10, Normalization.FASHION_MNIST);
  }

  /** The four standard IDX files in {@code dir}, named {@code name/train} and {@code name/test}. */
  public static DataSplit idxDirectory(Path dir, String name, int numClasses, Normalization norm) {
    Path[] f = idxFiles(dir);
    return new DataSplit(IdxReader.read(f[0], f[1], name + "/train", numClasses, norm),
        IdxReader.read(f[2], f[3], name + "/test", numClasses, norm));
  }

  /**
   * The four standard IDX files in {@code dir}, with as many classes as the largest label plus
   * one, normalised with the pixel statistics of the training set.
   */
  public static DataSplit idxDirectory(Path dir) {
    Path[] f = idxFiles(dir);
    IdxReader.Contents train = IdxReader.readPair(f[0], f[1]);
    IdxReader.Contents test = IdxReader.readPair(f[2], f[3]);
    int classes = Math.max(1, Math.max(train.maxLabel(), test.maxLabel()) + 1);
    Path fileName = dir.toAbsolutePath().normalize().getFileName();
    String name = fileName == null ? dir.toString() : fileName.toString();
    ImageSet trainSet = train.toDataset(name + "/train", classes, Normalization.UNIT);
    Normalization norm = trainSet.pixelStatistics();
    return new DataSplit(trainSet.withNormalization(norm),
        test.toDataset(name + "/test", classes, norm));
  }

  /** Train images, train labels, test images, test labels in {@code dir}; all must exist. */
  private static Path[] idxFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CondenseException(dir + ": no such directory");
    }
    String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
    Path[] files = new Path[names.length];
    List<String> missing = new ArrayList<>();
    for (int k = 0; k < names.length; k++) {
      files[k] = existing(dir, names[k]);
      if (files[k] == null && names[k].contains("idx3")) {
        files[k] = existing(dir, names[k].replace("idx3", "idx4")); // 4-D (RGB) images
      }
      if (files[k] == null) {
        missing.add(names[k] + "[.gz]");
      }
    }
    if (!missing.isEmpty()) {
      throw new CondenseException(dir + ": missing " + String.join(", ", missing)
          + " (an IDX data directory holds " + TRAIN_IMAGES + ", " + TRAIN_LABELS + ", "
          + TEST_IMAGES + " and " + TEST_LABELS + ")");
    }
    return files;
  }

  /** {@code dir/name.gz} or {@code dir/name}, whichever is a file, or null. */
  private static Path existing(Path dir, String name) {
    Path gz = dir.resolve(name + ".gz");
    Path raw = dir.resolve(name);
    return Files.isRegularFile(gz) ? gz : Files.isRegularFile(raw) ? raw : null;
  }

  private static Dataset resourcePair(String images, String labels, String name) {
    String imagesName = "classpath:" + resourcePath(images);
    String labelsName = "classpath:" + resourcePath(labels);
    try (InputStream i = resource(images); InputStream l = resource(labels)) {
      return IdxReader.read(i, imagesName, l, labelsName, name, 10, Normalization.MNIST);
    } catch (IOException e) {
      throw new CondenseException("built-in MNIST: cannot read " + imagesName + " or " + labelsName
          + " (" + e.getMessage() + ")", e);
    }
  }

  private static InputStream resource(String file) {
    InputStream in = DataSources.class.getResourceAsStream(BUILT_IN_MNIST + file);
    if (in == null) {
      throw new CondenseException("built-in MNIST: " + resourcePath(file)
          + " is missing from the classpath (a broken Condense build)");
    }
    return in;
  }

  private static String resourcePath(String file) {
    return DataSources.class.getPackageName().replace('.', '/') + "/" + BUILT_IN_MNIST + file;
  }

  private static Path path(String text, String spec) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw unknown(spec);
    }
  }

  private static CondenseException unknown(String spec) {
    return new CondenseException("unknown data set '" + spec + "': use " + ACCEPTED);
  }
}
