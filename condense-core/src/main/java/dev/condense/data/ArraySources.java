package dev.condense.data;

import dev.condense.CondenseException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@code npz:FILE} and {@code npy:DIR} data specifications of {@link DataSources}: NumPy
 * arrays {@code x_train}, {@code y_train}, {@code x_test}, {@code y_test} (Keras' {@code load_data}
 * names) in one {@code .npz} archive or as four {@code .npy} files in a directory — or only
 * {@code x} and {@code y}, split by a seeded shuffle ({@code ,test=FRACTION[,seed=S]}). The
 * classes are the largest label plus one over both sets, or {@code ,classes=K}. Values are given
 * to the model as stored unless a preprocessing says otherwise.
 */
final class ArraySources {
  static final String TRAIN_X = "x_train";
  static final String TRAIN_Y = "y_train";
  static final String TEST_X = "x_test";
  static final String TEST_Y = "y_test";
  static final String X = "x";
  static final String Y = "y";
  private static final String OPTIONS = "options are test=FRACTION, seed=S (with test) and classes=K";

  private ArraySources() {}

  /** Where the arrays are read: an archive or a directory, with how to find and read one. */
  private record Arrays4(String where, Predicate<String> has, Function<String, NpyArray> read, List<String> holds) {}

  /** The split {@code text} (after {@code kind:}) names; {@code kind} is {@code npz} or {@code npy}. */
  static DataSplit resolve(String kind, String text) {
    Options o = Options.parse(text, kind);
    String base = o.path.getFileName() == null ? o.path.toString() : o.path.getFileName().toString();
    String name = base.endsWith(".npz") ? base.substring(0, base.length() - 4) : base;
    if (kind.equals("npz")) {
      try (NpzFile z = NpzFile.open(o.path)) {
        return split(new Arrays4(z.name(), z::has, z::read, z.names()), name, o);
      }
    }
    Path dir = o.path;
    if (!Files.isDirectory(dir)) {
      throw new CondenseException(dir + ": no such directory (npy:DIR names a directory of .npy files)");
    }
    return split(new Arrays4(dir.toString(), a -> Files.isRegularFile(dir.resolve(a + ".npy")),
        a -> NpyReader.read(dir.resolve(a + ".npy")), npyFiles(dir)), name, o);
  }

  private static DataSplit split(Arrays4 a, String name, Options o) {
    boolean four = a.has.test(TRAIN_X) && a.has.test(TRAIN_Y) && a.has.test(TEST_X) && a.has.test(TEST_Y);
    if (four) {
      if (o.test != null) {
        throw new CondenseException(a.where + ": holds " + TRAIN_X + " and " + TEST_X + " already split; test= "
            + "applies only to arrays x and y");
      }
      NpyArray xTrain = a.read.apply(TRAIN_X);
      NpyArray yTrain = a.read.apply(TRAIN_Y);
      int[] train = ArraySet.labels(xTrain, yTrain);
      NpyArray xTest = a.read.apply(TEST_X);
      NpyArray yTest = a.read.apply(TEST_Y);
      int[] test = ArraySet.labels(xTest, yTest);
      int classes = o.classes != null ? o.classes : Math.max(max(train), max(test)) + 1;
      return new DataSplit(ArraySet.of(name + "/train", xTrain, train, yTrain.name(), Math.max(classes, 1)),
          ArraySet.of(name + "/test", xTest, test, yTest.name(), Math.max(classes, 1)));
    }
    if (!a.has.test(X) || !a.has.test(Y)) {
      throw new CondenseException(a.where + ": expected arrays " + TRAIN_X + ", " + TRAIN_Y + ", " + TEST_X + ", " + TEST_Y
          + " (or x and y with ,test=FRACTION); it holds " + (a.holds.isEmpty() ? "none" : String.join(", ", a.holds)));
    }
    if (o.test == null) {
      throw new CondenseException(a.where + ": holds x and y but no test set; give the fraction to hold out, "
          + "e.g. ,test=0.2 (and ,seed=S to draw another split)");
    }
    NpyArray x = a.read.apply(X);
    NpyArray y = a.read.apply(Y);
    int[] labels = ArraySet.labels(x, y);
    int classes = o.classes != null ? o.classes : max(labels) + 1;
    ArraySet all = ArraySet.of(name, x, labels, y.name(), Math.max(classes, 1));
    int n = all.size();
    int held = (int) Math.round(o.test * n);
    if (held < 1 || held >= n) {
      throw new CondenseException(a.where + ": test=" + o.test + " of " + n + " samples leaves "
          + (held < 1 ? "no test samples" : "no training samples"));
    }
    int[] order = Batches.order(n, o.seed, 0, true);
    int[] test = Arrays.copyOfRange(order, 0, held);
    int[] train = Arrays.copyOfRange(order, held, n);
    Arrays.sort(test);
    Arrays.sort(train);
    return new DataSplit(all.subset(train, name + "/train"), all.subset(test, name + "/test"));
  }

  private static int max(int[] labels) {
    int m = -1;
    for (int l : labels) {
      m = Math.max(m, l);
    }
    return m;
  }

  private static List<String> npyFiles(Path dir) {
    List<String> names = new ArrayList<>();
    try (var files = Files.list(dir)) {
      files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".npy")).sorted()
          .forEach(f -> names.add(f.substring(0, f.length() - 4)));
    } catch (java.io.IOException e) {
      throw new CondenseException(dir + ": cannot list (" + dev.condense.IoErrors.reason(e) + ")", e);
    }
    return names;
  }

  /** The path and the options after it: {@code FILE[,test=F][,seed=S][,classes=K]}. */
  private record Options(Path path, Double test, long seed, Integer classes) {
    static Options parse(String text, String kind) {
      // a path that exists is taken whole, commas and all
      if (exists(text)) {
        return new Options(Path.of(text), null, 0, null);
      }
      String[] items = text.split(",", -1);
      Double test = null;
      Long seed = null;
      Integer classes = null;
      for (int k = 1; k < items.length; k++) {
        String item = items[k].strip();
        int eq = item.indexOf('=');
        String key = eq < 0 ? item : item.substring(0, eq).strip();
        String value = eq < 0 ? "" : item.substring(eq + 1).strip();
        try {
          switch (key) {
            case "test" -> {
              test = Double.parseDouble(value);
              if (!(test > 0 && test < 1)) {
                throw new NumberFormatException();
              }
            }
            case "seed" -> seed = Long.parseLong(value);
            case "classes" -> {
              classes = Integer.parseInt(value);
              if (classes < 1) {
                throw new NumberFormatException();
              }
            }
            default -> throw new CondenseException(kind + ":" + text + ": unknown option '" + item + "'; " + OPTIONS);
          }
        } catch (NumberFormatException e) {
          throw new CondenseException(kind + ":" + text + ": bad value in '" + item + "' (test is a fraction between 0 "
              + "and 1, seed an integer, classes a count of 1 or more)");
        }
      }
      if (seed != null && test == null) {
        throw new CondenseException(kind + ":" + text + ": seed= chooses the split of test=, which is not given");
      }
      Path path;
      try {
        path = Path.of(items[0].strip());
      } catch (InvalidPathException e) {
        throw new CondenseException(kind + ":" + text + ": not a path");
      }
      return new Options(path, test, seed == null ? 0 : seed, classes);
    }

    private static boolean exists(String text) {
      try {
        return Files.exists(Path.of(text));
      } catch (InvalidPathException e) {
        return false;
      }
    }
  }
}
