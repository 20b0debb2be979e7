package dev.condense.data;

import dev.condense.CondenseException;
import dev.condense.data.image.Image;
import dev.condense.data.image.ImageTransform;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An image folder in torchvision's {@code ImageFolder} layout (a sub-folder of images per class,
 * samples found and ordered as torchvision finds them: {@link FolderListing}), read from its files
 * as batches are asked for, so a folder larger than memory is streamed. Each sample is decoded
 * (the {@link FolderOptions#decoder()}), converted, resized and centre-cropped
 * ({@link ImageTransform}) and normalised exactly as {@link ImageSet} normalises ({@link PixelScaling}):
 * the same images give the same floats bit for bit in either set, on any number of threads.
 *
 * <p>Decoding runs on {@link FolderOptions#threads()} daemon threads (they end after a second
 * idle, so a set needs no closing). After {@link #fill} has written a batch it decodes the next
 * batch of the same order in the background. <b>Memory:</b> a set holds at most two batches of
 * decoded, preprocessed 8-bit images (the batch being filled and the one read ahead, {@code 2 ·
 * batch · c·h·w} bytes) plus, per decoding thread, the one image it is decoding as stored.
 *
 * <p>Bad files: without {@code skipBad} a file of a type the decoder does not read is refused when
 * the set is opened, and a corrupt file or an image whose size after preprocessing is not the
 * first image's fails {@link #fill} with one line naming it, when its batch is read. With
 * {@code skipBad} every file is decoded once when the set is opened and the bad ones are left out
 * ({@link #skipped()}): the same files on every run, known before any batch is read.
 */
public final class FolderSet implements Dataset {
  private final FolderFiles files;
  /** The files this set reads from, before files that do not fit are left out (skipBad). */
  private final int[] selection;
  /** The files of samples 0, 1, ...: {@code selection} less the files skipped. */
  private final int[] samples;
  private final String name;
  private final Preprocess preprocess;
  private final int[] shape;
  private final PixelScaling scaling;
  private final BatchAhead ahead;

  private FolderSet(FolderFiles files, int[] selection, String name, Preprocess preprocess) {
    this.files = files;
    this.selection = selection;
    this.name = name;
    this.preprocess = preprocess;
    this.shape = FolderFiles.shapeAfter(files.firstStored(), preprocess);
    this.samples = files.skipBad() ? fitting(files, selection, preprocess, shape) : selection;
    this.scaling = new PixelScaling(preprocess.normalization(), shape[0], preprocess.channelsLast(), name);
    this.ahead = new BatchAhead(files.pool(), this::load);
  }

  /**
   * The folder {@code root} (class folders directly inside it) named {@code name}, read with
   * {@code p}; an error naming the folder or file when it has no class folders, a class folder
   * has no image, or (without skipBad) a file cannot be read.
   */
  public static FolderSet open(Path root, String name, Preprocess p, FolderOptions options) {
    return open(FolderListing.of(root), name, p, options, new DecodePool(options.threads()));
  }

  /** {@link #open(Path, String, Preprocess, FolderOptions)} on a listing, decoding on {@code pool}. */
  static FolderSet open(FolderListing listing, String name, Preprocess p, FolderOptions options, DecodePool pool) {
    FolderFiles files = FolderFiles.open(listing, options, pool);
    int[] all = new int[listing.files().size()];
    Arrays.setAll(all, i -> i);
    return new FolderSet(files, all, name, p);
  }

  private static int[] fitting(FolderFiles files, int[] selection, Preprocess p, int[] shape) {
    return Arrays.stream(selection).filter(i -> files.bad(i) == null && files.misfit(i, p, shape) == null).toArray();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return samples.length;
  }

  /** [channels, height, width] after preprocessing, or [height, width, channels] when written channels last. */
  @Override
  public int[] sampleShape() {
    return preprocess.channelsLast() ? new int[] {shape[1], shape[2], shape[0]} : shape.clone();
  }

  /** The number of class folders. */
  @Override
  public int numClasses() {
    return files.listing().classes().size();
  }

  /** The class names, sorted: class {@code k} is {@code classes().get(k)}. */
  public List<String> classes() {
    return files.listing().classes();
  }

  @Override
  public Preprocess preprocess() {
    return preprocess;
  }

  /** The same files read with {@code p}; with skipBad the files that do not fit {@code p} are left out. */
  @Override
  public FolderSet preprocessed(Preprocess p) {
    return new FolderSet(files, selection, name, p);
  }

  @Override
  public int label(int i) {
    return files.listing().labels()[samples[i]];
  }

  /** The file of sample {@code i}. */
  public Path file(int i) {
    return files.listing().files().get(samples[i]);
  }

  /** The files left out because they are bad (read with skipBad; empty otherwise), in listing order. */
  public List<SkippedFile> skipped() {
    return files.skipped(selection, preprocess);
  }

  /**
   * Decodes, preprocesses and writes samples {@code order[from .. from+count)} (or
   * {@code from .. from+count}) into {@code x}, then starts decoding the next {@code count}
   * samples of the same order in the background; an error naming the file when one cannot be
   * read or has the wrong size.
   */
  @Override
  public synchronized void fill(int[] order, int from, int count, float[] x, int[] y) {
    int[] batch = positions(order, from, count);
    Image[] images = ahead.take(batch);
    int next = from + count;
    int end = order == null ? size() : order.length;
    if (count > 0 && next < end) {
      ahead.readAhead(positions(order, next, Math.min(count, end - next)));
    }
    int s = sampleSize();
    int plane = shape[1] * shape[2];
    for (int b = 0; b < count; b++) {
      scaling.write(images[b].pixels(), 0, plane, x, b * s);
      if (y != null) {
        y[b] = label(batch[b]);
      }
    }
  }

  private static int[] positions(int[] order, int from, int count) {
    int[] p = new int[count];
    for (int b = 0; b < count; b++) {
      p[b] = order == null ? from + b : order[from + b];
    }
    return p;
  }

  /** Sample {@code i} decoded and preprocessed; an error naming its file when it cannot be, or does not fit. */
  private Image load(int i) {
    int f = samples[i];
    Image stored = files.decode(f);
    Image img;
    try {
      img = ImageTransform.apply(stored, preprocess.color(), preprocess.resize(), preprocess.crop());
    } catch (CondenseException e) {
      throw new CondenseException(files.listing().files().get(f) + ": " + e.getMessage(), e);
    }
    int[] got = {img.channels(), img.height(), img.width()};
    if (!Arrays.equals(got, shape)) {
      throw new CondenseException(files.listing().files().get(f) + ": "
          + files.sizeError(got, new int[] {stored.channels(), stored.height(), stored.width()}, shape));
    }
    return img;
  }

  /** The number of files in the folder, bad ones included: the range of {@link #ofFiles}'s indices. */
  int fileCount() {
    return files.listing().files().size();
  }

  /**
   * The folder's files {@code fileIndices} (positions in its listing, bad ones included) as a set
   * named {@code name}, read with this set's preprocessing: a split drawn over the listing, so it
   * does not depend on which files are bad.
   */
  FolderSet ofFiles(int[] fileIndices, String name) {
    for (int i : fileIndices) {
      if (i < 0 || i >= fileCount()) {
        throw new IllegalArgumentException("file " + i + " outside " + this.name + " (" + fileCount() + " files)");
      }
    }
    return new FolderSet(files, fileIndices.clone(), name, preprocess);
  }

  /** The samples at {@code indices}, in that order, as a folder set sharing this one's files and threads. */
  @Override
  public FolderSet subset(int[] indices, String name) {
    int[] chosen = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      if (indices[k] < 0 || indices[k] >= samples.length) {
        throw new IllegalArgumentException("index " + indices[k] + " outside " + this.name + " (" + samples.length + " samples)");
      }
      chosen[k] = samples[indices[k]];
    }
    return new FolderSet(files, chosen, name, preprocess);
  }

  @Override
  public FolderSet slice(int from, int to) {
    return (FolderSet) Dataset.super.slice(from, to);
  }

  @Override
  public FolderSet head(int n) {
    return (FolderSet) Dataset.super.head(n);
  }

  @Override
  public String toString() {
    return Dataset.describe(this);
  }
}
