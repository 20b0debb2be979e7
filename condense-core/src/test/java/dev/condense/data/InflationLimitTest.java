package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.SizeBudget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compressed data files cannot inflate past the {@link SizeBudget}: a gzip or zip bomb of a few
 * hundred kilobytes is refused after the budget's bytes, not after gigabytes (issue 17 §2).
 */
class InflationLimitTest {
  /** A header followed by {@code zeros} zero bytes, gzip-compressed. */
  private static byte[] gzip(byte[] header, long zeros) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
      z.write(header);
      byte[] block = new byte[1 << 20];
      for (long left = zeros; left > 0; left -= block.length) {
        z.write(block, 0, (int) Math.min(left, block.length));
      }
    }
    return out.toByteArray();
  }

  private static byte[] idxLabels(int count) {
    return ByteBuffer.allocate(8).putInt(IdxReader.LABELS_MAGIC).putInt(count).array();
  }

  @Test
  void aGzipLabelBombIsRefusedAtTheInflationLimit() throws IOException {
    byte[] bomb = gzip(idxLabels(Integer.MAX_VALUE - 8), 80L << 20);
    assertThat(bomb.length).isLessThan(200_000);
    assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(new byte[0]), "img",
        new ByteArrayInputStream(bomb), "labels.gz", "d", 10, Normalization.NONE))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("labels.gz: the compressed data inflate to more than 67108864 bytes");
  }

  @Test
  void aLongCompressedTailIsNotInflatedToItsEnd() throws IOException {
    byte[] labels = new byte[11];
    System.arraycopy(idxLabels(3), 0, labels, 0, 8);
    byte[] file = gzip(labels, 40L << 20);
    assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(new byte[0]), "img",
        new ByteArrayInputStream(file), "labels.gz", "d", 10, Normalization.NONE))
        .hasMessage("labels.gz: more than 1048576 unexpected bytes after the 3 labels announced by its header");
  }

  @Test
  void aDeflatedNpzEntryBombIsRefusedAtTheInflationLimit(@TempDir Path dir) throws IOException {
    String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2000000000,), }";
    header += " ".repeat(63 - (10 + header.length()) % 64) + "\n";
    ByteArrayOutputStream npy = new ByteArrayOutputStream();
    npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
    npy.write(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Path file = dir.resolve("bomb.npz");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
      z.putNextEntry(new ZipEntry("x.npy"));
      z.write(npy.toByteArray());
      byte[] block = new byte[1 << 20];
      for (int i = 0; i < 80; i++) {
        z.write(block);
      }
      z.closeEntry();
    }
    assertThat(Files.size(file)).isLessThan(200_000);
    try (NpzFile npz = NpzFile.open(file)) {
      assertThatThrownBy(() -> npz.read("x")).isInstanceOf(CondenseException.class)
          .hasMessageStartingWith(file + " (array x): the compressed data inflate to more than 67108864 bytes");
    }
  }

  @Test
  void ordinaryCompressionStaysWithinTheBudget() {
    assertThat(SizeBudget.allowedInflation(10_000_000)).isEqualTo(640_000_000);
    assertThat(SizeBudget.allowedInflation(1)).isEqualTo(SizeBudget.FLOOR_BYTES);
    assertThat(SizeBudget.allowedInflation(1L << 40)).isEqualTo(SizeBudget.MAX_BYTES);
    assertThat(SizeBudget.allowed(1L << 40)).isEqualTo(SizeBudget.MAX_BYTES);
  }
}
