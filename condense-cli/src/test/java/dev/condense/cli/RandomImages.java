package dev.condense.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A seeded data set of uniform random images and labels written as {@code .npz} (x_train, y_train,
 * x_test, y_test): inputs for commands on exported models whose accuracy the test does not judge.
 */
final class RandomImages {
  private RandomImages() {}

  static Path npz(Path file, int train, int test, int[] image, int classes, long seed) throws IOException {
    Random r = new Random(seed);
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String part : new String[] {"train", "test"}) {
        int n = part.equals("train") ? train : test;
        int size = image[0] * image[1] * image[2];
        ByteBuffer x = ByteBuffer.allocate(n * size * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * size; i++) {
          x.putFloat(r.nextFloat());
        }
        ByteBuffer y = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          y.putLong(r.nextInt(classes));
        }
        entry(zip, "x_" + part, "<f4", "(" + n + ", " + image[0] + ", " + image[1] + ", " + image[2] + ")", x.array());
        entry(zip, "y_" + part, "<i8", "(" + n + ",)", y.array());
      }
    }
    return file;
  }

  /** One {@code .npy} (format 1.0) entry of the archive. */
  private static void entry(ZipOutputStream zip, String name, String descr, String shape, byte[] data) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int pad = 64 - (10 + dict.length() + 1) % 64;
    byte[] header = (dict + " ".repeat(pad % 64) + "\n").getBytes(StandardCharsets.US_ASCII);
    zip.putNextEntry(new ZipEntry(name + ".npy"));
    zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, (byte) (header.length >> 8)});
    zip.write(header);
    zip.write(data);
    zip.closeEntry();
  }
}
