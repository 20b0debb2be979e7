package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.condense.CondenseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the data-file readers: IDX pairs (raw or gzip, 3-D and 4-D), CIFAR-10 batches, .npy
 * arrays and .npz archives. Whatever the bytes, a reader gives a data set or one one-line
 * {@link CondenseException} naming the file; never another exception, nor an allocation the
 * bytes cannot justify (CI fuzzes with {@code -Xmx256m}; see {@code .ci/run}). Every other run
 * replays the seeds in {@code src/test/resources/dev/condense/data/DataFuzzTestInputs}.
 */
class DataFuzzTest {
  /** One directory for the files each run writes, removed after the class. */
  @TempDir
  static Path dir;

  /** Bytes 0–1: the label file's length (big-endian); then the label file, then the image file. */
  @FuzzTest(maxDuration = "12s")
  void idxFailsOnlyWithOneLineErrors(byte[] data) {
    if (data.length < 2) {
      return;
    }
    int split = Math.min(data.length - 2, ((data[0] & 0xff) << 8) | (data[1] & 0xff));
    byte[] labels = Arrays.copyOfRange(data, 2, 2 + split);
    byte[] images = Arrays.copyOfRange(data, 2 + split, data.length);
    try {
      assertThat(IdxReader.read(new ByteArrayInputStream(images), "fuzz-images",
          new ByteArrayInputStream(labels), "fuzz-labels", "fuzz", 256, Normalization.NONE).size())
          .isGreaterThanOrEqualTo(0);
    } catch (CondenseException e) {
      oneLine(e, "fuzz");
    }
  }

  @FuzzTest(maxDuration = "7s")
  void cifarFailsOnlyWithOneLineErrors(byte[] data) throws IOException {
    Path file = Files.write(dir.resolve("batch.bin"), data);
    try {
      assertThat(Cifar10Reader.read(List.of(file), "fuzz", Normalization.NONE).size()).isPositive();
    } catch (CondenseException e) {
      oneLine(e, file.toString());
    }
  }

  @FuzzTest(maxDuration = "11s")
  void npyFailsOnlyWithOneLineErrors(byte[] data) {
    try (DataFile f = DataFile.of(new ByteArrayInputStream(data), "fuzz")) {
      assertThat(NpyReader.read(f).shape()).isNotNull();
    } catch (CondenseException e) {
      oneLine(e, "fuzz");
    }
  }

  @FuzzTest(maxDuration = "9s")
  void npzFailsOnlyWithOneLineErrors(byte[] data) throws IOException {
    Path file = Files.write(dir.resolve("arrays.npz"), data);
    try (NpzFile npz = NpzFile.open(file)) {
      for (String name : npz.names()) {
        assertThat(npz.read(name).shape()).isNotNull();
      }
    } catch (CondenseException e) {
      oneLine(e, file.toString());
    }
  }

  private static void oneLine(CondenseException e, String source) {
    assertThat(e.getMessage()).startsWith(source).doesNotContain("\n");
  }
}
