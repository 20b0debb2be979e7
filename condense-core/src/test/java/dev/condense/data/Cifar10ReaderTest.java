package dev.condense.data;

import static dev.condense.data.TestFiles.cifarPixel;
import static dev.condense.data.TestFiles.cifarRecords;
import static dev.condense.data.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
  @TempDir Path dir;

  @Test
  void readsRecordsOfSeveralFilesExactly() {
    Path a = write(dir.resolve("data_batch_1.bin"), cifarRecords(0, 6, 9, 0));
    Path b = write(dir.resolve("data_batch_2.bin"), cifarRecords(3, 3, 1));

    ImageSet d = Cifar10Reader.read(List.of(a, b), "c", Normalization.UNIT);

    assertThat(d.size()).isEqualTo(5);
    assertThat(d.sampleShape()).containsExactly(3, 32, 32);
    assertThat(d.numClasses()).isEqualTo(10);
    int[] labels = {6, 9, 0, 3, 1};
    for (int r = 0; r < 5; r++) {
      assertThat(d.label(r)).isEqualTo(labels[r]);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            assertThat(d.pixel(r, c * 1024 + y * 32 + x)).isEqualTo(cifarPixel(r, c, y, x));
          }
        }
      }
    }
  }

  @Test
  void channelsAreRedGreenBlueInThatOrder() {
    Path a = write(dir.resolve("test_batch.bin"), cifarRecords(0, 2));
    ImageSet d = Cifar10Reader.read(List.of(a), "c", Normalization.UNIT);
    float[] x = new float[d.sampleSize()];
    d.fill(null, 0, 1, x, null);
    // cifarPixel puts red in 0..49, green in 100..149, blue in 200..249
    for (int c = 0; c < 3; c++) {
      float[] plane = Arrays.copyOfRange(x, c * 1024, (c + 1) * 1024);
      for (float v : plane) {
        assertThat(v * 255).isBetween(c * 100f - 0.01f, c * 100f + 49.01f);
      }
    }
  }

  @Test
  void readsTheStandardDirectory() {
    Path base = dir.resolve(Cifar10Reader.DIRECTORY);
    for (int k = 0; k < 5; k++) {
      write(base.resolve(Cifar10Reader.TRAIN_FILES.get(k)), cifarRecords(k * 2, k, k + 1));
    }
    write(base.resolve(Cifar10Reader.TEST_FILE), cifarRecords(100, 7, 8, 9));

    for (Path given : List.of(dir, base)) {
      DataSplit s = Cifar10Reader.readDirectory(given, Normalization.CIFAR10);
      assertThat(s.train().size()).isEqualTo(10);
      assertThat(s.train().label(9)).isEqualTo(5);
      assertThat(((ImageSet) s.train()).pixel(9, 2 * 1024 + 5)).isEqualTo(cifarPixel(9, 2, 0, 5));
      assertThat(s.test().size()).isEqualTo(3);
      assertThat(s.test().label(0)).isEqualTo(7);
      assertThat(((ImageSet) s.test()).pixel(2, 33)).isEqualTo(cifarPixel(102, 0, 1, 1));
      assertThat(s.test().preprocess().normalization()).isEqualTo(Normalization.CIFAR10);
      assertThat(s.train().name()).isEqualTo("cifar10/train");
    }
  }

  @Test
  void missingStandardFilesAreListed() {
    write(dir.resolve("data_batch_1.bin"), cifarRecords(0, 1));
    write(dir.resolve("data_batch_2.bin"), cifarRecords(0, 1));
    assertThatThrownBy(() -> Cifar10Reader.readDirectory(dir, Normalization.CIFAR10))
        .isInstanceOf(CondenseException.class)
        .hasMessage(dir + ": missing data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin"
            + " (expected the binary version of CIFAR-10, cifar-10-batches-bin/)");
    Path none = dir.resolve("none");
    assertThatThrownBy(() -> Cifar10Reader.readDirectory(none, Normalization.CIFAR10))
        .isInstanceOf(CondenseException.class).hasMessage(none + ": no such directory");
  }

  @Test
  void sizeNotAMultipleOfTheRecordIsTruncated() {
    Path good = write(dir.resolve("a.bin"), cifarRecords(0, 1, 2));
    byte[] two = cifarRecords(0, 1, 2);
    Path bad = write(dir.resolve("b.bin"), Arrays.copyOf(two, two.length - 100));
    assertThatThrownBy(() -> Cifar10Reader.read(List.of(good, bad), "c", Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(bad + ": truncated: 6046 bytes are not a whole number of 3073-byte CIFAR-10 records"
            + " (1 records and 2973 bytes)");
  }

  @Test
  void labelAboveNineIsCorrupt() {
    Path bad = write(dir.resolve("b.bin"), cifarRecords(0, 4, 5, 10));
    assertThatThrownBy(() -> Cifar10Reader.read(List.of(bad), "c", Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(bad + ": corrupt: label 10 in record 2, CIFAR-10 labels are 0..9");
  }

  @Test
  void missingEmptyAndCompressedFilesAreNamed() {
    Path missing = dir.resolve("data_batch_9.bin");
    assertThatThrownBy(() -> Cifar10Reader.read(List.of(missing), "c", Normalization.UNIT))
        .isInstanceOf(CondenseException.class).hasMessage(missing + ": no such file");
    Path empty = write(dir.resolve("empty.bin"), new byte[0]);
    assertThatThrownBy(() -> Cifar10Reader.read(List.of(empty), "c", Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(empty + ": empty file, expected 3073-byte CIFAR-10 records");
    Path gz = write(dir.resolve("gz.bin"), TestFiles.gzip(cifarRecords(0, 1)));
    assertThatThrownBy(() -> Cifar10Reader.read(List.of(gz), "c", Normalization.UNIT))
        .isInstanceOf(CondenseException.class)
        .hasMessage(gz + ": gzip-compressed; CIFAR-10 batch files are plain binary (unpack the archive first)");
  }
}
