package dev.condense.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX and CIFAR-10 files in their real formats for the reader tests. */
final class TestFiles {
  private TestFiles() {}

  /** An IDX image file's bytes: header (magic, n, h, w) then the pixels. */
  static byte[] idxImages(int n, int h, int w, byte[] pixels) {
    return ByteBuffer.allocate(16 + pixels.length).putInt(IdxReader.IMAGES_MAGIC).putInt(n)
        .putInt(h).putInt(w).put(pixels).array();
  }

  /** An IDX label file's bytes: header (magic, n) then one byte per label. */
  static byte[] idxLabels(int... labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(IdxReader.LABELS_MAGIC)
        .putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  /** Deterministic pixels: sample i, position j → (i·31 + j·7) mod 256. */
  static byte[] pixels(int n, int sampleSize) {
    byte[] p = new byte[n * sampleSize];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < sampleSize; j++) {
        p[i * sampleSize + j] = (byte) (i * 31 + j * 7);
      }
    }
    return p;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path file, byte[] data) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the four standard IDX files into {@code dir} ({@code .gz} names when gzip), h×w images
   * with {@link #pixels} and the given labels; returns {@code dir}.
   */
  static Path idxDirectory(Path dir, int h, int w, int[] trainLabels, int[] testLabels, boolean gzip) {
    String ext = gzip ? ".gz" : "";
    writeIdxPair(dir.resolve(DataSources.TRAIN_IMAGES + ext), dir.resolve(DataSources.TRAIN_LABELS + ext),
        h, w, trainLabels, gzip);
    writeIdxPair(dir.resolve(DataSources.TEST_IMAGES + ext), dir.resolve(DataSources.TEST_LABELS + ext),
        h, w, testLabels, gzip);
    return dir;
  }

  static void writeIdxPair(Path images, Path labels, int h, int w, int[] labelValues, boolean gzip) {
    byte[] i = idxImages(labelValues.length, h, w, pixels(labelValues.length, h * w));
    byte[] l = idxLabels(labelValues);
    write(images, gzip ? gzip(i) : i);
    write(labels, gzip ? gzip(l) : l);
  }

  /**
   * CIFAR-10 records: label, then red, green, blue planes where pixel (c, y, x) of record r is
   * {@link #cifarPixel}.
   */
  static byte[] cifarRecords(int firstRecord, int... labels) {
    ByteBuffer b = ByteBuffer.allocate(labels.length * Cifar10Reader.RECORD_BYTES);
    for (int r = 0; r < labels.length; r++) {
      b.put((byte) labels[r]);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            b.put((byte) cifarPixel(firstRecord + r, c, y, x));
          }
        }
      }
    }
    return b.array();
  }

  /** Channel c of record r: red near 0, green near 100, blue near 200, varying with r, y and x. */
  static int cifarPixel(int r, int c, int y, int x) {
    return c * 100 + (r * 13 + y * 3 + x) % 50;
  }
}
