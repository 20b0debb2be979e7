package dev.condense.data;

import static dev.condense.data.TestFiles.gzip;
import static dev.condense.data.TestFiles.idxImages;
import static dev.condense.data.TestFiles.idxLabels;
import static dev.condense.data.TestFiles.pixels;
import static dev.condense.data.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdxReaderTest {
  @TempDir Path dir;

  private static final int[] LABELS = {3, 0, 9, 1, 1};

  @ParameterizedTest(name = "images gzip {0}, labels gzip {1}")
  @CsvSource({"false,false", "true,true", "true,false", "false,true"})
  void roundTripsGzipAndRawFiles(boolean gzipImages, boolean gzipLabels) {
    byte[] px = pixels(LABELS.length, 4 * 3);
    byte[] images = idxImages(LABELS.length, 4, 3, px);
    byte[] labels = idxLabels(LABELS);
    // names deliberately say nothing: gzip is recognised by content
    Path i = write(dir.resolve("images.bin"), gzipImages ? gzip(images) : images);
    Path l = write(dir.resolve("labels.bin"), gzipLabels ? gzip(labels) : labels);

    ImageSet d = IdxReader.read(i, l, "t", 10, Normalization.UNIT);

    assertThat(d.size()).isEqualTo(5);
    assertThat(d.sampleShape()).containsExactly(1, 4, 3);
    assertThat(d.numClasses()).isEqualTo(10);
    for (int s = 0; s < 5; s++) {
      assertThat(d.label(s)).isEqualTo(LABELS[s]);
      for (int j = 0; j < 12; j++) {
        assertThat(d.pixel(s, j)).isEqualTo(px[s * 12 + j] & 0xff);
      }
    }
  }

  @Test
  void readsStreams() {
    byte[] px = pixels(LABELS.length, 4);
    ImageSet d = IdxReader.read(new ByteArrayInputStream(gzip(idxImages(5, 2, 2, px))), "imgs",
        new ByteArrayInputStream(idxLabels(LABELS)), "lbls", "s", 10, Normalization.MNIST);
    assertThat(d.size()).isEqualTo(5);
    assertThat(d.label(2)).isEqualTo(9);
    assertThat(d.pixel(4, 3)).isEqualTo(px[19] & 0xff);
    assertThat(d.preprocess().normalization()).isEqualTo(Normalization.MNIST);
  }

  @Test
  void readsEmptySets() {
    Path i = write(dir.resolve("i"), idxImages(0, 28, 28, new byte[0]));
    Path l = write(dir.resolve("l"), idxLabels());
    assertThat(IdxReader.read(i, l, "empty", 10, Normalization.UNIT).size()).isZero();
  }

  @Test
  void missingFileIsNamed() {
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    Path missing = dir.resolve("nope-images.gz");
    assertThatThrownBy(() -> IdxReader.read(missing, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class).hasMessage(missing + ": no such file");
  }

  @Test
  void directoryInsteadOfFileIsNamed() {
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(dir, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class).hasMessage(dir + ": is a directory, expected a file");
  }

  @Test
  void badMagicSaysWhatWasFoundAndExpected() {
    Path png = write(dir.resolve("digit.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0});
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(png, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(png + ": not an IDX image file: magic 0x89504e47 (not IDX), expected 0x00000803 or 0x00000804");
  }

  @Test
  void swappedFilesAreRecognised() {
    Path i = write(dir.resolve("images"), idxImages(5, 2, 2, pixels(5, 4)));
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(l, i, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(i + ": not an IDX label file: magic 0x00000803 (an IDX image file), expected 0x00000801");
  }

  @Test
  void truncatedHeaderIsNamed() {
    Path i = write(dir.resolve("images.gz"), gzip(Arrays.copyOf(idxImages(5, 2, 2, pixels(5, 4)), 10)));
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(i + ": truncated: the file ends inside its 16-byte IDX image file header");
  }

  @Test
  void truncatedRawDataIsCaughtFromTheFileSize() {
    byte[] full = idxImages(5, 2, 2, pixels(5, 4));
    Path i = write(dir.resolve("images"), Arrays.copyOf(full, full.length - 3));
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(i + ": truncated: the header announces 5 images of 2×2 (20 bytes) but only 17 bytes follow");
  }

  @Test
  void truncatedGzipDataIsNamed() {
    byte[] full = idxImages(5, 2, 2, pixels(5, 4));
    Path i = write(dir.resolve("images.gz"), gzip(Arrays.copyOf(full, full.length - 3)));
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(i + ": truncated: the header announces 5 images of 2×2 (20 bytes) but only 17 bytes follow");
  }

  @Test
  void gzipStreamCutShortIsTruncated() {
    byte[] gz = gzip(idxImages(50, 28, 28, pixels(50, 784)));
    Path i = write(dir.resolve("images.gz"), Arrays.copyOf(gz, gz.length / 2));
    Path l = write(dir.resolve("labels"), idxLabels(new int[50]));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(i + ": truncated: the compressed data ends early");
  }

  @Test
  void corruptGzipIsNamed() {
    byte[] gz = gzip(idxImages(5, 2, 2, pixels(5, 4)));
    for (int k = 10; k < gz.length - 8; k++) {
      gz[k] = (byte) 0xff;
    }
    Path i = write(dir.resolve("images.gz"), gz);
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(i + ": corrupt gzip data (");
  }

  @Test
  void hugeCountInATinyFileFailsBeforeAllocating() {
    // 2 billion 28×28 images: far more than an array holds, checked from the header alone
    Path raw = write(dir.resolve("images"), ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC)
        .putInt(2_000_000_000).putInt(28).putInt(28).array());
    Path l = write(dir.resolve("labels"), ByteBuffer.allocate(8).putInt(IdxReader.LABELS_MAGIC)
        .putInt(2_000_000_000).array());
    assertThatThrownBy(() -> IdxReader.read(raw, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(l + ": truncated: the header announces 2000000000 labels (2000000000 bytes) but only 0 bytes follow");

    // 2 million 28×28 images (1.5 GB) announced by a few hundred bytes of gzip: read in steps
    int n = 2_000_000;
    Path gz = write(dir.resolve("images.gz"), gzip(ByteBuffer.allocate(16 + 1000)
        .putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(28).putInt(28).array()));
    Path labels = write(dir.resolve("labels-2m"), idxLabels(new int[n]));
    assertThatThrownBy(() -> IdxReader.read(gz, labels, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(gz + ": truncated: the header announces 2000000 images of 28×28 (1568000000 bytes) but only 1000 bytes follow");
  }

  @Test
  void tooLargeForAnArrayIsNamed() {
    Path i = write(dir.resolve("images"), ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC)
        .putInt(5).putInt(1 << 20).putInt(1 << 20).array());
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(i + ": 5 images of 1048576×1048576 need 5497558138880 bytes, more than one data set can hold");
  }

  @Test
  void negativeCountsAndSizesAreImplausible() {
    Path i = write(dir.resolve("images"), ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC)
        .putInt(5).putInt(0).putInt(28).array());
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class).hasMessage(i + ": implausible image height 0 in its header");
    Path bad = write(dir.resolve("labels-neg"), ByteBuffer.allocate(8).putInt(IdxReader.LABELS_MAGIC).putInt(-1).array());
    assertThatThrownBy(() -> IdxReader.read(i, bad, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class).hasMessage(bad + ": implausible sample count 4294967295 in its header");
  }

  @Test
  void trailingBytesAreAnError() {
    byte[] full = idxImages(5, 2, 2, pixels(5, 4));
    Path i = write(dir.resolve("images"), Arrays.copyOf(full, full.length + 7));
    Path l = write(dir.resolve("labels"), idxLabels(LABELS));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(i + ": 7 unexpected bytes after the 5 images of 2×2 announced by its header");
  }

  @Test
  void countMismatchNamesBothFiles() {
    Path i = write(dir.resolve("images"), idxImages(5, 2, 2, pixels(5, 4)));
    Path l = write(dir.resolve("labels"), idxLabels(1, 2, 3, 4));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(i + " holds 5 images but " + l + " holds 4 labels");
  }

  @Test
  void labelOutOfRangeIsNamed() {
    Path i = write(dir.resolve("images"), idxImages(5, 2, 2, pixels(5, 4)));
    Path l = write(dir.resolve("labels"), idxLabels(1, 2, 10, 4, 0));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 10, Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(l + ": label 10 of sample 2 is outside 0..9");
    assertThat(IdxReader.read(i, l, "t", 11, Normalization.UNIT).label(2)).isEqualTo(10);
  }

  @Test
  void readsFourDimensionalRgbImagesAsNumpyTransposesThem() {
    NpyFiles.Expected e = NpyFiles.expected().stream().filter(x -> x.file().equals("rgb-images-idx4-ubyte"))
        .findFirst().orElseThrow();
    ImageSet d = IdxReader.read(NpyFiles.fixture("rgb-images-idx4-ubyte"), NpyFiles.fixture("rgb-labels-idx1-ubyte"),
        "rgb", 10, Normalization.UNIT);
    assertThat(d.sampleShape()).containsExactly(3, 3, 4);
    assertThat(d.label(0)).isEqualTo(7);
    assertThat(d.label(1)).isEqualTo(1);
    int s = d.sampleSize();
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < s; j++) {
        assertThat(d.pixel(i, j)).as("image %d value %d", i, j).isEqualTo(Integer.parseInt(e.values()[i * s + j]));
      }
    }
  }

  @Test
  void fourDimensionalGrayImagesHaveOneChannel() {
    Path i = write(dir.resolve("images"), idx4Images(2, 2, 3, 1, pixels(2, 6)));
    Path l = write(dir.resolve("labels"), idxLabels(0, 1));
    ImageSet d = IdxReader.read(i, l, "t", 2, Normalization.UNIT);
    assertThat(d.sampleShape()).containsExactly(1, 2, 3);
    assertThat(d.pixel(1, 5)).isEqualTo(pixels(2, 6)[11] & 0xff);
  }

  @Test
  void fourDimensionalImagesWithoutChannelsLastAreRefused() {
    // [N, 3, H, W] (channels first) has last dimension W: not recognisable as channels
    Path i = write(dir.resolve("images"), idx4Images(2, 3, 4, 5, pixels(2, 60)));
    Path l = write(dir.resolve("labels"), idxLabels(0, 1));
    assertThatThrownBy(() -> IdxReader.read(i, l, "t", 2, Normalization.UNIT)).isInstanceOf(CondenseException.class)
        .hasMessage(i + ": a 4-D IDX image file of 2×3×4×5: Condense reads N×height×width×channels with 1 or 3 "
            + "channels (channels last), and the last dimension is 5");
  }

  @Test
  void truncatedFourDimensionalFilesAreNamed() {
    byte[] full = idx4Images(2, 2, 2, 3, pixels(2, 12));
    Path header = write(dir.resolve("header"), Arrays.copyOf(full, 18));
    Path l = write(dir.resolve("labels"), idxLabels(0, 1));
    assertThatThrownBy(() -> IdxReader.read(header, l, "t", 2, Normalization.UNIT)).isInstanceOf(CondenseException.class)
        .hasMessage(header + ": truncated: the file ends inside its 20-byte IDX image file header");
    Path data = write(dir.resolve("data"), Arrays.copyOf(full, full.length - 1));
    assertThatThrownBy(() -> IdxReader.read(data, l, "t", 2, Normalization.UNIT)).isInstanceOf(CondenseException.class)
        .hasMessage(data + ": truncated: the header announces 2 images of 2×2×3 (24 bytes) but only 23 bytes follow");
  }

  /** A 4-D IDX image file's bytes: magic 0x00000804, n, h, w, c, then the pixels (N×H×W×C). */
  private static byte[] idx4Images(int n, int h, int w, int c, byte[] pixels) {
    return ByteBuffer.allocate(20 + pixels.length).putInt(IdxReader.COLOR_IMAGES_MAGIC).putInt(n).putInt(h).putInt(w)
        .putInt(c).put(pixels).array();
  }
}
