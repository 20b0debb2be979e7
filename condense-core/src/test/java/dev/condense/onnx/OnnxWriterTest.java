package dev.condense.onnx;

import static dev.condense.onnx.ModelAssert.assertSameModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing is atomic: the target is either the old file or the complete new one, never a mix. */
class OnnxWriterTest {

  @TempDir
  Path dir;

  private List<String> listing(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesTheFileAndNothingElse() throws IOException {
    Path file = dir.resolve("model.onnx");
    Model m = OnnxRoundTripTest.everyKindModel();
    OnnxWriter.write(m, file);
    assertThat(listing(dir)).containsExactly("model.onnx");
    assertThat(Files.readAllBytes(file)).isEqualTo(OnnxWriter.toBytes(m));
  }

  @Test
  void replacesAnExistingFile() throws IOException {
    Path file = Files.writeString(dir.resolve("model.onnx"), "old content", StandardCharsets.UTF_8);
    Model m = OnnxReader.read(Fixtures.path("tiny_cnn.onnx"));
    OnnxWriter.write(m, file);
    assertThat(listing(dir)).containsExactly("model.onnx");
    assertSameModel(OnnxReader.read(file), m);
  }

  @Test
  void missingDirectoryIsACleanError() {
    Path file = dir.resolve("no/such/dir/model.onnx");
    assertThatThrownBy(() -> OnnxWriter.write(OnnxRoundTripTest.everyKindModel(), file))
        .isInstanceOf(CondenseException.class)
        .hasMessage(file + ": cannot write, directory " + file.getParent() + " does not exist");
    assertThat(Files.exists(dir.resolve("no"))).isFalse();
  }

  @Test
  void aDirectoryTargetIsRefusedAndLeftAlone() throws IOException {
    // The target is a non-empty directory: refused before anything is written (a failed write
    // itself is AtomicFileTest's), the directory and its content untouched, no temporary file.
    Path target = Files.createDirectory(dir.resolve("model.onnx"));
    Files.writeString(target.resolve("keep.txt"), "precious");
    assertThatThrownBy(() -> OnnxWriter.write(OnnxRoundTripTest.everyKindModel(), target))
        .isInstanceOf(CondenseException.class)
        .hasMessage(target + ": cannot write, it is a directory");
    assertThat(listing(dir)).containsExactly("model.onnx");
    assertThat(listing(target)).containsExactly("keep.txt");
    assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("precious");
  }

  @Test
  void aBareFileNameIsWrittenInTheWorkingDirectory() throws IOException {
    Path file = Path.of("onnx-writer-test-" + ProcessHandle.current().pid() + ".onnx");
    try {
      OnnxWriter.write(OnnxRoundTripTest.everyKindModel(), file);
      assertSameModel(OnnxReader.read(file), OnnxRoundTripTest.everyKindModel());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void theFileGetsTheUsualPermissionsNotThoseOfATempFile() throws IOException {
    Path file = dir.resolve("model.onnx");
    OnnxWriter.write(OnnxRoundTripTest.everyKindModel(), file);
    Path plain = Files.createFile(dir.resolve("plain"));
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
  }
}
