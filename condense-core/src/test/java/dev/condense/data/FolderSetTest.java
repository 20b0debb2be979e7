package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.data.image.Decoder;
import dev.condense.data.image.Image;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSetTest {
  private static final Decoder IMAGE_IO = new ImageIoTestDecoder();

  @TempDir Path tmp;

  /** {@code n} RGB images of h×w in {@code classes} class folders, image i in class i mod classes. */
  private Path folder(String dir, int n, int classes, int channels, int h, int w) throws IOException {
    Path root = tmp.resolve(dir);
    for (int i = 0; i < n; i++) {
      ImageIoTestDecoder.writePng(ImageIoTestDecoder.pattern(i, channels, h, w),
          root.resolve("c" + (i % classes)).resolve(String.format("img%04d.png", i)));
    }
    return root;
  }

  private static FolderSet open(Path root, Preprocess p, Decoder d, int threads, boolean skipBad) {
    return FolderSet.open(root, "t", p, new FolderOptions(d, threads, skipBad));
  }

  /** The floats of every batch of {@code order}, read in sequence as the engine reads them. */
  private static float[] pass(Dataset d, int[] order, int batch, int[] labels) {
    int s = d.sampleSize();
    float[] all = new float[d.size() * s];
    float[] x = new float[batch * s];
    int[] y = new int[batch];
    for (int from = 0; from < d.size(); from += batch) {
      int nb = Math.min(batch, d.size() - from);
      d.fill(order, from, nb, x, y);
      System.arraycopy(x, 0, all, from * s, nb * s);
      System.arraycopy(y, 0, labels, from, nb);
    }
    return all;
  }

  @Test
  void batchesAreImageSetsBitForBitOnOneAndTwoThreads() throws IOException {
    Path root = folder("rgb", 23, 3, 3, 9, 7);
    for (String spec : new String[] {"rgb,resize=6,crop=5,mean=0.4:0.5:0.6,std=0.2:0.3:0.25", "gray,resize=4x3,nhwc",
        "unit"}) {
      Preprocess p = Preprocess.parse(spec, "test");
      FolderSet one = open(root, p, IMAGE_IO, 1, false);
      FolderSet two = open(root, p, IMAGE_IO, 2, false);
      // the reference: the same decoded images held in memory, preprocessed by ImageSet
      byte[] px = new byte[23 * 3 * 9 * 7];
      int[] labels = new int[23];
      for (int i = 0; i < 23; i++) {
        System.arraycopy(IMAGE_IO.decode(one.file(i)).pixels(), 0, px, i * 189, 189);
        labels[i] = one.label(i);
      }
      ImageSet reference = new ImageSet("ref", px, labels, 3, 9, 7, 3, Normalization.UNIT).preprocessed(p);
      assertThat(one.sampleShape()).isEqualTo(reference.sampleShape());
      int[] order = Batches.order(23, 5, 0, true);
      int[] y1 = new int[23];
      int[] y2 = new int[23];
      int[] yr = new int[23];
      float[] expected = pass(reference, order, 4, yr);
      assertThat(pass(one, order, 4, y1)).as(spec).isEqualTo(expected);
      assertThat(pass(two, order, 4, y2)).as(spec).isEqualTo(expected);
      assertThat(y1).isEqualTo(yr).isEqualTo(y2);
    }
  }

  @Test
  void labelsAreTheClassFoldersInSortedOrder() throws IOException {
    Path root = folder("l", 6, 3, 1, 4, 4);
    FolderSet d = open(root, Preprocess.UNIT, IMAGE_IO, 1, false);
    assertThat(d.classes()).containsExactly("c0", "c1", "c2");
    assertThat(d.size()).isEqualTo(6);
    assertThat(d.classCounts()).containsExactly(2, 2, 2);
    assertThat(d.file(1)).isEqualTo(root.resolve("c0/img0003.png"));
    assertThat(d.label(2)).isEqualTo(1);
    assertThat(d.sampleShape()).containsExactly(1, 4, 4);
  }

  @Test
  void readsAtMostTwoBatchesAhead() throws IOException, InterruptedException {
    Path root = folder("ahead", 40, 2, 1, 5, 5);
    AtomicInteger decoded = new AtomicInteger();
    FolderSet d = open(root, Preprocess.UNIT, f -> {
      decoded.incrementAndGet();
      return IMAGE_IO.decode(f);
    }, 2, false);
    decoded.set(0); // opening decoded the first image for its size
    float[] x = new float[8 * 25];
    d.fill(null, 0, 8, x, null);
    // the next batch is decoded in the background, and nothing more
    long until = System.nanoTime() + 10_000_000_000L;
    while (decoded.get() < 16 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    Thread.sleep(200);
    assertThat(decoded.get()).isEqualTo(16);
    d.fill(null, 8, 8, x, null); // the batch read ahead: no decode of its own
    until = System.nanoTime() + 10_000_000_000L;
    while (decoded.get() < 24 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    Thread.sleep(200);
    assertThat(decoded.get()).isEqualTo(24);
  }

  @Test
  void aLongShuffledPassKeepsAtMostTwoBatchesDecodedAndLive() throws IOException {
    int n = 600;
    int batch = 16;
    Path root = folder("long", n, 4, 1, 6, 6);
    AtomicLong delivered = new AtomicLong();
    AtomicLong started = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    List<WeakReference<Image>> made = Collections.synchronizedList(new ArrayList<>());
    FolderSet d = open(root, Preprocess.UNIT, f -> {
      maxAhead.accumulateAndGet(started.incrementAndGet() - delivered.get(), Math::max);
      Image img = IMAGE_IO.decode(f);
      made.add(new WeakReference<>(img));
      return img;
    }, 2, false);
    started.set(0);
    float[] x = new float[batch * 36];
    for (int epoch = 0; epoch < 2; epoch++) {
      int[] order = Batches.order(n, 3, epoch, true);
      for (int from = 0; from < n; from += batch) {
        int nb = Math.min(batch, n - from);
        d.fill(order, from, nb, x, null);
        delivered.addAndGet(nb);
      }
    }
    assertThat(started.get()).as("every image decoded once per epoch: the read-ahead is used").isEqualTo(2L * n);
    assertThat(maxAhead.get()).as("images decoded and not yet delivered").isLessThanOrEqualTo(2L * batch);
    long live = Long.MAX_VALUE;
    for (int k = 0; k < 20 && live > 2L * batch; k++) {
      System.gc();
      live = made.stream().filter(r -> r.get() != null).count();
    }
    assertThat(live).as("decoded images still reachable after the pass, of %d", made.size()).isLessThanOrEqualTo(2L * batch);
    assertThat(d.size()).isEqualTo(n); // d is still live: what it holds was counted
  }

  @Test
  void anImageOfAnotherSizeIsNamedWithItsSizeAndTheExpectedOne() throws IOException {
    Path root = folder("mixed", 4, 2, 1, 6, 6);
    Path odd = root.resolve("c1/odd.png");
    ImageIoTestDecoder.writePng(ImageIoTestDecoder.pattern(9, 1, 7, 6), odd);
    FolderSet d = open(root, Preprocess.UNIT, IMAGE_IO, 2, false);
    float[] x = new float[5 * 36];
    assertThatThrownBy(() -> d.fill(null, 0, 5, x, null)).isInstanceOf(CondenseException.class)
        .hasMessage(odd + ": 1×7×6 after preprocessing (stored 1×7×6), expected 1×6×6 as the first image "
            + root.resolve("c0/img0000.png") + "; a resize and centre crop in the preprocessing make all images one size");
    // a crop that makes them one size reads them all
    FolderSet cropped = d.preprocessed(Preprocess.parse("unit,crop=5", "test"));
    cropped.fill(null, 0, 5, new float[5 * 25], null);
  }

  @Test
  void aCorruptFileFailsOnlyTheBatchThatReadsIt() throws IOException {
    Path root = folder("corrupt", 8, 2, 1, 4, 4);
    Path bad = root.resolve("c1/img0005.png");
    Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    FolderSet d = open(root, Preprocess.UNIT, IMAGE_IO, 2, false);
    float[] x = new float[4 * 16];
    d.fill(null, 0, 4, x, null); // samples 0..3 are c0; the bad file is sample 6, read ahead now
    assertThatThrownBy(() -> d.fill(null, 4, 4, x, null)).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(bad + ": ").hasMessageNotContaining("\n");
  }

  @Test
  void aTypeTheDecoderDoesNotReadIsRefusedWhenOpened() throws IOException {
    Path root = folder("types", 4, 2, 1, 4, 4);
    Path bmp = root.resolve("c1/x.bmp");
    Files.write(bmp, new byte[] {'B', 'M'});
    assertThatThrownBy(() -> open(root, Preprocess.UNIT, IMAGE_IO, 1, false)).isInstanceOf(CondenseException.class)
        .hasMessage(bmp + ": not a type Condense reads (it reads .jpg, .jpeg, .png); 1 of the 5 images in " + root
            + " are of other types");
  }

  @Test
  void skipBadLeavesOutAndCountsTheSameFilesOnAnyNumberOfThreads() throws IOException {
    Path root = folder("skip", 10, 2, 1, 4, 4);
    Files.write(root.resolve("c0/img0002.png"), new byte[] {1, 2, 3});
    Files.write(root.resolve("c1/a.tif"), new byte[] {1});
    ImageIoTestDecoder.writePng(ImageIoTestDecoder.pattern(1, 1, 5, 4), root.resolve("c1/big.png"));
    List<float[]> passes = new ArrayList<>();
    for (int threads : new int[] {1, 2}) {
      FolderSet d = open(root, Preprocess.UNIT, IMAGE_IO, threads, true);
      assertThat(d.size()).isEqualTo(9);
      assertThat(d.skipped()).extracting(s -> root.relativize(s.file()).toString())
          .containsExactly("c0/img0002.png", "c1/a.tif", "c1/big.png");
      assertThat(d.skipped().get(1).reason()).isEqualTo("not a type Condense reads (it reads .jpg, .jpeg, .png)");
      assertThat(d.skipped().get(2).reason()).startsWith("1×5×4 after preprocessing (stored 1×5×4), expected 1×4×4");
      assertThat(d.classCounts()).containsExactly(4, 5);
      passes.add(pass(d, null, 4, new int[9]));
      // a crop to 4×4 makes the big image fit: it is read again, the others stay out
      FolderSet cropped = d.preprocessed(Preprocess.parse("unit,crop=4", "test"));
      assertThat(cropped.size()).isEqualTo(10);
      assertThat(cropped.skipped()).hasSize(2);
    }
    assertThat(passes.get(0)).isEqualTo(passes.get(1));
  }

  @Test
  void subsetsAndSlicesAreFolderSetsOfTheSameFiles() throws IOException {
    Path root = folder("sub", 12, 3, 1, 4, 4);
    FolderSet d = open(root, Preprocess.UNIT, IMAGE_IO, 2, false);
    FolderSet s = d.subset(new int[] {7, 2, 11}, "s");
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.file(0)).isEqualTo(d.file(7));
    assertThat(s.label(2)).isEqualTo(d.label(11));
    float[] a = new float[16];
    float[] b = new float[16];
    s.fill(null, 1, 1, a, null);
    d.fill(new int[] {2}, 0, 1, b, null);
    assertThat(a).isEqualTo(b);
    assertThat(d.head(5).size()).isEqualTo(5);
    assertThat(d.slice(3, 5).file(0)).isEqualTo(d.file(3));
  }

  @Test
  void decodeThreadsAreDaemonsAndEndWhenIdle() throws IOException, InterruptedException {
    Path root = folder("threads", 8, 2, 1, 4, 4);
    FolderSet d = open(root, Preprocess.UNIT, IMAGE_IO, 2, false);
    d.fill(null, 0, 4, new float[64], null);
    List<Thread> decoding = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("condense-decode-")).toList();
    assertThat(decoding).isNotEmpty().allMatch(Thread::isDaemon);
    for (Thread t : decoding) {
      t.join(10_000);
    }
    assertThat(decoding).noneMatch(Thread::isAlive);
  }
}
