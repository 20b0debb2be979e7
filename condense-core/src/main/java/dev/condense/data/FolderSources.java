package dev.condense.data;

import dev.condense.CondenseException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Image folders as a data specification ({@code --data folder:DIR}) becomes a training and a test
 * set. Syntax: {@code folder:DIR[,split=F[,seed=N]][,eval=val|test][,skip-bad]}:
 * <ul>
 *   <li>{@code DIR} holding {@code train/} and {@code val/} (or {@code test/}), each a folder of
 *       class folders: those are the training and the test set; with both {@code val/} and
 *       {@code test/}, {@code eval=} says which one is evaluated;
 *   <li>{@code DIR} holding only class folders needs {@code split=F}: a seeded random fraction
 *       {@code F} (0 &lt; F &lt; 1) of its images, {@code round(F·n)}, trains and the rest tests,
 *       each part in listing order; {@code seed=N} (default 0) draws the split
 *       ({@link Batches#order}), so the same seed gives the same split on every run;
 *   <li>{@code skip-bad} leaves bad files out instead of failing ({@link FolderSet}), as
 *       {@link FolderOptions#skipBad()} does.
 * </ul>
 * Options are read from the end, so a folder whose name has commas still works unless a part after
 * a comma looks like an option. The training and test folders must have the same class names.
 * Both sets decode on one pool of {@link FolderOptions#threads()} threads and are read with
 * {@link #DEFAULT_PREPROCESS} until the caller gives the model's own ({@link Dataset#preprocessed}).
 */
public final class FolderSources {
  /**
   * The preprocessing of a folder whose model states none: x/255, the colour channels as the files
   * store them, no resize or crop (torchvision's {@code ToTensor}; note torchvision's default
   * {@code ImageFolder} loader converts every image to RGB, which {@code rgb} asks for).
   */
  public static final Preprocess DEFAULT_PREPROCESS = Preprocess.UNIT;

  private static final String SYNTAX = "folder:DIR[,split=F[,seed=N]][,eval=val|test][,skip-bad]";

  private FolderSources() {}

  /** The sets {@code spec} (the text after {@code folder:}) names, read with {@code options}. */
  public static DataSplit resolve(String spec, FolderOptions options) {
    List<String> parts = new ArrayList<>(Arrays.asList(spec.split(",", -1)));
    Double split = null;
    Long seed = null;
    String eval = null;
    boolean skipBad = options.skipBad();
    while (parts.size() > 1) {
      String item = parts.get(parts.size() - 1).strip();
      int eq = item.indexOf('=');
      String key = eq < 0 ? item : item.substring(0, eq);
      String value = eq < 0 ? null : item.substring(eq + 1).strip();
      if (key.equals("skip-bad") && value == null) {
        skipBad = true;
      } else if (key.equals("split") && value != null) {
        split = fraction(value, spec);
      } else if (key.equals("seed") && value != null) {
        seed = number(value, spec);
      } else if (key.equals("eval") && (value != null)) {
        if (!value.equals("val") && !value.equals("test")) {
          throw new CondenseException("folder:" + spec + ": eval=" + value + " is neither val nor test; use " + SYNTAX);
        }
        eval = value;
      } else {
        break;
      }
      parts.remove(parts.size() - 1);
    }
    String dirText = String.join(",", parts).strip();
    if (dirText.isEmpty()) {
      throw new CondenseException("folder:" + spec + ": no directory; use " + SYNTAX);
    }
    Path dir;
    try {
      dir = Path.of(dirText);
    } catch (InvalidPathException e) {
      throw new CondenseException("folder:" + spec + ": '" + dirText + "' is not a path; use " + SYNTAX);
    }
    if (!Files.isDirectory(dir)) {
      throw new CondenseException(dir + ": no such directory");
    }
    FolderOptions o = options.withSkipBad(skipBad);
    DecodePool pool = new DecodePool(o.threads());
    String name = baseName(dir);
    if (Files.isDirectory(dir.resolve("train"))) {
      if (split != null || seed != null) {
        throw new CondenseException(dir + ": split= and seed= are for a folder of class folders; this one has train/");
      }
      String test = testFolder(dir, eval);
      FolderListing trainList = FolderListing.of(dir.resolve("train"));
      FolderListing testList = FolderListing.of(dir.resolve(test));
      if (!trainList.classes().equals(testList.classes())) {
        throw new CondenseException(dir.resolve(test) + ": its class folders (" + testList.classes().size() + ": "
            + shortList(testList.classes()) + ") are not train/'s (" + trainList.classes().size() + ": "
            + shortList(trainList.classes()) + ")");
      }
      return new DataSplit(FolderSet.open(trainList, name + "/train", DEFAULT_PREPROCESS, o, pool),
          FolderSet.open(testList, name + "/" + test, DEFAULT_PREPROCESS, o, pool));
    }
    if (split == null) {
      throw new CondenseException(dir + ": no train/ and val/ (or test/) folders; to split its class folders into "
          + "a training and a test set give a split, e.g. folder:" + dir + ",split=0.9,seed=1");
    }
    if (eval != null) {
      throw new CondenseException(dir + ": eval= chooses between val/ and test/, which this folder does not have");
    }
    FolderSet all = FolderSet.open(FolderListing.of(dir), name, DEFAULT_PREPROCESS, o, pool);
    int n = all.fileCount();
    int[] order = Batches.order(n, seed == null ? 0 : seed, 0, true);
    int cut = (int) Math.round(split * n);
    int[] train = Arrays.copyOfRange(order, 0, cut);
    int[] test = Arrays.copyOfRange(order, cut, n);
    Arrays.sort(train);
    Arrays.sort(test);
    String how = " (split " + value(split) + ", seed " + (seed == null ? 0 : seed) + ")";
    return new DataSplit(all.ofFiles(train, name + "/train" + how), all.ofFiles(test, name + "/test" + how));
  }

  /** Whether {@code dir} is laid out as image folders with splits ({@code train/} inside). */
  public static boolean hasTrainFolder(Path dir) {
    return Files.isDirectory(dir.resolve("train"));
  }

  private static String testFolder(Path dir, String eval) {
    boolean val = Files.isDirectory(dir.resolve("val"));
    boolean test = Files.isDirectory(dir.resolve("test"));
    if (eval != null) {
      if (!Files.isDirectory(dir.resolve(eval))) {
        throw new CondenseException(dir + ": eval=" + eval + " but there is no " + eval + "/ folder");
      }
      return eval;
    }
    if (val && test) {
      throw new CondenseException(dir + ": has both val/ and test/; say which one to evaluate with eval=val or eval=test");
    }
    if (!val && !test) {
      throw new CondenseException(dir + ": has train/ but no val/ or test/ folder to evaluate on");
    }
    return val ? "val" : "test";
  }

  private static double fraction(String value, String spec) {
    double f;
    try {
      f = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      f = Double.NaN;
    }
    if (!(f > 0 && f < 1)) {
      throw new CondenseException("folder:" + spec + ": split=" + value + " is not a fraction between 0 and 1; use " + SYNTAX);
    }
    return f;
  }

  private static long number(String value, String spec) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new CondenseException("folder:" + spec + ": seed=" + value + " is not a whole number; use " + SYNTAX);
    }
  }

  private static String value(double f) {
    String s = Double.toString(f);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  private static String shortList(List<String> names) {
    return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ...";
  }

  private static String baseName(Path dir) {
    Path f = dir.toAbsolutePath().normalize().getFileName();
    return f == null ? dir.toString() : f.toString();
  }
}
