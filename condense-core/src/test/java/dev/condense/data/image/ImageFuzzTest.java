package dev.condense.data.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.condense.CondenseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the PNG/JPEG decoder: whatever the bytes, {@link ImageDecoder#decode} gives an image or
 * one one-line {@link CondenseException} naming the file; never another exception, nor an
 * allocation the bytes cannot justify (CI fuzzes with {@code -Xmx256m}; see {@code .ci/run}).
 * Every other run replays the seeds in
 * {@code src/test/resources/dev/condense/data/image/ImageFuzzTestInputs}.
 */
class ImageFuzzTest {
  /** One directory for the files each run writes, removed after the class. */
  @TempDir
  static Path dir;

  @FuzzTest(maxDuration = "10s")
  void decodeFailsOnlyWithOneLineErrors(byte[] data) throws IOException {
    Path file = Files.write(dir.resolve("image"), data);
    try {
      assertThat(ImageDecoder.decode(file)).isNotNull();
    } catch (CondenseException e) {
      assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
    }
  }
}
