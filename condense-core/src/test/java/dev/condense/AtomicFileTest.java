package dev.condense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs never destroy data: no torn files, no stray temporary files, no replaced device nodes. */
class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void replacesARegularFileWhole() throws IOException {
    Path f = dir.resolve("m.onnx");
    Files.writeString(f, "old");
    AtomicFile.write(f, "new");
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(listing()).containsExactly("m.onnx");
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
    Path f = dir.resolve("m.onnx");
    Files.writeString(f, "old");
    assertThatThrownBy(() -> AtomicFile.write(f, tmp -> {
      Files.writeString(tmp, "half");
      throw new IOException("disk full");
    })).isInstanceOf(CondenseException.class).hasMessageContaining("m.onnx").hasMessageContaining("disk full");
    assertThat(Files.readString(f)).isEqualTo("old");
    assertThat(listing()).containsExactly("m.onnx");
  }

  @Test
  void refusesDirectoriesAndFifos() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("out.onnx"));
    assertThatThrownBy(() -> AtomicFile.write(sub, "x")).hasMessageContaining("is a directory");
    Path fifo = dir.resolve("pipe.onnx");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(p.waitFor()).isZero();
    assertThat(AtomicFile.unwritableReason(fifo)).contains("not a regular file");
    assertThatThrownBy(() -> AtomicFile.write(fifo, "x")).hasMessageContaining("not a regular file");
    assertThat(Files.isRegularFile(fifo)).as("the FIFO is still a FIFO").isFalse();
    assertThat(Files.exists(fifo)).isTrue();
    assertThat(AtomicFile.unwritableReason(dir.resolve("missing/m.onnx"))).contains("does not exist");
    assertThat(AtomicFile.unwritableReason(dir.resolve("fine.onnx"))).isNull();
  }

  @Test
  void theNextWriteRemovesTemporaryFilesAKilledRunLeftBehind() throws IOException {
    Path f = dir.resolve("m.onnx");
    Files.writeString(dir.resolve(".m.onnx" + AtomicFile.TEMP_MARK + "0000.tmp"), "stale");
    Files.writeString(dir.resolve(".other.onnx" + AtomicFile.TEMP_MARK + "0000.tmp"), "another target's");
    AtomicFile.write(f, "new");
    assertThat(listing()).containsExactly(".other.onnx" + AtomicFile.TEMP_MARK + "0000.tmp", "m.onnx");
  }

  @Test
  void aRunStoppedBySigtermWhileWritingLeavesNoTemporaryFile() throws Exception {
    Path f = dir.resolve("big.onnx");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowWriter.class.getName(),
        f.toString()).redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(r.readLine()).isEqualTo("writing");
      assertThat(listing()).as("the temporary file exists while writing").hasSize(1)
          .allMatch(n -> n.startsWith(".big.onnx" + AtomicFile.TEMP_MARK));
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(listing()).isEmpty();
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Writes part of a file and then waits, as a long write does, until it is killed. */
  static final class SlowWriter {
    public static void main(String[] args) {
      AtomicFile.write(Path.of(args[0]), tmp -> {
        Files.write(tmp, new byte[1 << 20]);
        System.out.println("writing");
        System.out.flush();
        try {
          Thread.sleep(120_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }
}
