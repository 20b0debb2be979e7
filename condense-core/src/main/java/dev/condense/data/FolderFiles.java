package dev.condense.data;

import dev.condense.CondenseException;
import dev.condense.data.image.Image;
import dev.condense.data.image.ImageTransform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one image folder and what is known of them before any batch is read: the listing,
 * the decoder and its threads, and the stored size (channels, height, width) of the first image —
 * or, read with {@code skipBad}, of every image, each file decoded once when the folder is opened
 * so that the files left out are known, counted and the same on every run before training starts.
 * The views of a folder ({@link FolderSet}s: splits, subsets, other preprocessing) share one.
 */
final class FolderFiles {
  private final FolderListing listing;
  private final FolderOptions options;
  private final DecodePool pool;
  /** Stored [c, h, w] per file, read with skipBad; otherwise only the first file's, at index 0. */
  private final int[][] stored;
  /** With skipBad: why each file is left out, or null where it is not; otherwise null. */
  private final String[] bad;
  private final int first;

  private FolderFiles(FolderListing listing, FolderOptions options, DecodePool pool, int[][] stored, String[] bad,
      int first) {
    this.listing = listing;
    this.options = options;
    this.pool = pool;
    this.stored = stored;
    this.bad = bad;
    this.first = first;
  }

  /**
   * Opens {@code listing}: without skipBad an error naming the first file the decoder cannot read
   * by its type, and the first file decoded for its size; with skipBad every file decoded once.
   */
  static FolderFiles open(FolderListing listing, FolderOptions options, DecodePool pool) {
    List<Path> files = listing.files();
    int n = files.size();
    if (!options.skipBad()) {
      for (Path f : files) {
        if (!FolderOptions.readable(f.getFileName().toString())) {
          long others = files.stream().filter(p -> !FolderOptions.readable(p.getFileName().toString())).count();
          throw new CondenseException(f + ": not a type Condense reads (it reads " + String.join(", ", FolderOptions.READABLE)
              + "); " + others + " of the " + n + " images in " + listing.root() + " are of other types");
        }
      }
      Image img = decode(options, files.get(0));
      return new FolderFiles(listing, options, pool, new int[][] {shape(img)}, null, 0);
    }
    Object[] found = pool.run(n, i -> {
      Path f = files.get(i);
      if (!FolderOptions.readable(f.getFileName().toString())) {
        return "not a type Condense reads (it reads " + String.join(", ", FolderOptions.READABLE) + ")";
      }
      try {
        return shape(decode(options, f));
      } catch (CondenseException e) {
        return reason(e.getMessage(), f);
      }
    });
    int[][] stored = new int[n][];
    String[] bad = new String[n];
    int first = -1;
    for (int i = 0; i < n; i++) {
      if (found[i] instanceof int[] s) {
        stored[i] = s;
        first = first < 0 ? i : first;
      } else {
        bad[i] = (String) found[i];
      }
    }
    if (first < 0) {
      throw new CondenseException(listing.root() + ": none of its " + n + " images can be read (" + files.get(0)
          + ": " + bad[0] + ")");
    }
    return new FolderFiles(listing, options, pool, stored, bad, first);
  }

  FolderListing listing() {
    return listing;
  }

  DecodePool pool() {
    return pool;
  }

  boolean skipBad() {
    return bad != null;
  }

  /** Why file {@code i} was left out when the folder was opened, or null. */
  String bad(int i) {
    return bad == null ? null : bad[i];
  }

  /** The stored [c, h, w] of file {@code i} (read with skipBad only). */
  int[] stored(int i) {
    return stored[i];
  }

  /** The first image that can be read, whose size after preprocessing every other must have. */
  Path firstFile() {
    return listing.files().get(first);
  }

  int[] firstStored() {
    return bad == null ? stored[0] : stored[first];
  }

  /** File {@code i} decoded; an error naming it when it cannot be. */
  Image decode(int i) {
    return decode(options, listing.files().get(i));
  }

  /** [c, h, w] of an image of stored size {@code s} after {@code p}'s colour conversion, resize and crop. */
  static int[] shapeAfter(int[] s, Preprocess p) {
    int c = p.color().channels(s[0]);
    int[] hw = p.resize() == null ? new int[] {s[1], s[2]} : ImageTransform.outputSize(s[1], s[2], p.resize());
    return p.crop() == null ? new int[] {c, hw[0], hw[1]} : new int[] {c, p.crop().height(), p.crop().width()};
  }

  static String text(int[] shape) {
    return shape[0] + "×" + shape[1] + "×" + shape[2];
  }

  private static int[] shape(Image img) {
    return new int[] {img.channels(), img.height(), img.width()};
  }

  private static Image decode(FolderOptions options, Path f) {
    try {
      return options.decoder().decode(f);
    } catch (CondenseException e) {
      throw e.getMessage() != null && e.getMessage().contains(f.toString()) ? e
          : new CondenseException(f + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CondenseException(f + ": cannot be read as an image (" + e + ")", e);
    }
  }

  /** A decoder's one-line error without the file name it starts with. */
  private static String reason(String message, Path f) {
    String prefix = f + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** The files of {@code selection} left out with skipBad, and why, for a set read with {@code p}. */
  List<SkippedFile> skipped(int[] selection, Preprocess p) {
    List<SkippedFile> out = new ArrayList<>();
    if (bad == null) {
      return out;
    }
    int[] expected = shapeAfter(firstStored(), p);
    for (int i : selection) {
      String why = bad[i] != null ? bad[i] : misfit(i, p, expected);
      if (why != null) {
        out.add(new SkippedFile(listing.files().get(i), why));
      }
    }
    return out;
  }

  /** Why file {@code i} (read with skipBad) does not fit a set of {@code expected} size read with {@code p}, or null. */
  String misfit(int i, Preprocess p, int[] expected) {
    int[] s = shapeAfter(stored[i], p);
    return java.util.Arrays.equals(s, expected) ? null : sizeError(s, stored[i], expected);
  }

  /** The complaint about an image of size {@code got} after preprocessing (stored as {@code stored}). */
  String sizeError(int[] got, int[] stored, int[] expected) {
    return text(got) + " after preprocessing (stored " + text(stored) + "), expected " + text(expected)
        + " as the first image " + firstFile() + "; a resize and centre crop in the preprocessing make all images one size";
  }
}
