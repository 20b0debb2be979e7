package dev.condense.data;

import dev.condense.CondenseException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The samples of an image folder in torchvision's {@code ImageFolder} layout, found exactly as
 * torchvision 0.14 finds them ({@code find_classes} and {@code make_dataset}), so that sample
 * {@code i} and its class are torchvision's sample {@code i}:
 * <ul>
 *   <li>the classes are the names of the root's sub-folders (symbolic links to folders included,
 *       hidden ones too), sorted; a class's index is its position;
 *   <li>each class folder is walked as {@code os.walk(..., followlinks=True)} walks it: every
 *       folder below it, links followed, visited in the order of their paths sorted as strings
 *       (so {@code a/b.d} comes before {@code a/b/x}); within a folder its non-folder entries
 *       (links to files and broken links included) sorted by name;
 *   <li>a file is a sample when its name ends, ignoring case, in one of {@link #EXTENSIONS}.
 * </ul>
 * Strings sort by Unicode code point, as Python sorts them. Where torchvision does not finish or
 * says nothing this refuses with one line: a link that leads back into a folder being walked (os.walk
 * would walk it until the path is too long) and a folder that cannot be listed (os.walk skips it).
 *
 * @param root the folder the classes are in
 * @param classes the class names, sorted
 * @param files the samples' files, each {@code root/class/...}
 * @param labels each sample's class index
 */
public record FolderListing(Path root, List<String> classes, List<Path> files, int[] labels) {

  /** torchvision's {@code IMG_EXTENSIONS}. */
  public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif",
      ".tiff", ".webp");

  /** Python's string order: by code point (Java's {@code compareTo} compares UTF-16 units). */
  public static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  };

  public FolderListing {
    classes = List.copyOf(classes);
    files = List.copyOf(files);
    labels = labels.clone();
  }

  /** The listing of {@code root}; an error naming it when it has no class folder or a class has no image. */
  public static FolderListing of(Path root) {
    if (!Files.isDirectory(root)) {
      throw new CondenseException(root + ": no such directory");
    }
    List<String> classes = new ArrayList<>();
    for (Entry e : entries(root)) {
      if (e.directory) {
        classes.add(e.name);
      }
    }
    classes.sort(CODE_POINT_ORDER);
    if (classes.isEmpty()) {
      throw new CondenseException(root + ": no class folder (an image folder holds one sub-folder of images per class)");
    }
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      int before = files.size();
      for (Path f : walk(root.resolve(classes.get(c)))) {
        if (isImageName(f.getFileName().toString())) {
          files.add(f);
          labels.add(c);
        }
      }
      if (files.size() == before) {
        empty.add(classes.get(c));
      }
    }
    if (!empty.isEmpty()) {
      throw new CondenseException(root + ": no image in class folder" + (empty.size() == 1 ? " " : "s ")
          + String.join(", ", empty) + " (images end in " + String.join(", ", EXTENSIONS) + ")");
    }
    return new FolderListing(root, classes, files, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Whether torchvision takes a file of this name for an image: {@code name.lower().endswith(IMG_EXTENSIONS)}. */
  public static boolean isImageName(String name) {
    return endsInOneOf(name, EXTENSIONS);
  }

  /** Whether {@code name}, lower-cased, ends in one of {@code extensions} (lower-case). */
  static boolean endsInOneOf(String name, List<String> extensions) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String e : extensions) {
      if (lower.endsWith(e)) {
        return true;
      }
    }
    return false;
  }

  /** The files under {@code top} in {@code sorted(os.walk(top, followlinks=True))} order, each folder's files sorted. */
  private static List<Path> walk(Path top) {
    List<Folder> folders = new ArrayList<>();
    collect(top, "", new HashSet<>(), folders);
    folders.sort((a, b) -> CODE_POINT_ORDER.compare(a.key, b.key));
    List<Path> out = new ArrayList<>();
    for (Folder f : folders) {
      out.addAll(f.files);
    }
    return out;
  }

  /**
   * Adds {@code dir} (at {@code rel} below the class folder) and every folder below it to
   * {@code out}; {@code ancestors} holds the real paths of the folders being walked, to refuse a loop.
   */
  private static void collect(Path dir, String rel, Set<Path> ancestors, List<Folder> out) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new CondenseException(dir + ": cannot be listed (" + e.getMessage() + ")");
    }
    if (!ancestors.add(real)) {
      throw new CondenseException(dir + ": a symbolic link leads back into " + real
          + ", a folder it is in; an image folder cannot hold a loop");
    }
    List<String> names = new ArrayList<>();
    List<String> subdirs = new ArrayList<>();
    for (Entry e : entries(dir)) {
      (e.directory ? subdirs : names).add(e.name);
    }
    names.sort(CODE_POINT_ORDER);
    List<Path> files = new ArrayList<>(names.size());
    for (String n : names) {
      files.add(dir.resolve(n));
    }
    // os.walk's root strings are top, top/sub, ...: sorting them is sorting "", "/sub", ...
    out.add(new Folder(rel, files));
    for (String s : subdirs) {
      collect(dir.resolve(s), rel + "/" + s, ancestors, out);
    }
    ancestors.remove(real);
  }

  /** The entries of {@code dir}, each marked a folder when it is one or links to one (as {@code os.scandir}'s {@code is_dir()}). */
  private static List<Entry> entries(Path dir) {
    List<Entry> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        out.add(new Entry(p.getFileName().toString(), Files.isDirectory(p)));
      }
    } catch (IOException e) {
      throw new CondenseException(dir + ": cannot be listed (" + e.getMessage() + ")");
    }
    return out;
  }

  private record Entry(String name, boolean directory) {}

  private record Folder(String key, List<Path> files) {}
}
