package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorLineTest {
  @Test
  void escapesNewlinesControlCharactersAndBidiOverrides() {
    assertThat(ErrorLine.of("bad\nname\u0007 \u202eevil")).isEqualTo("bad\\nname\\u0007 \\u202eevil");
  }

  @Test
  void capsLongMessages() {
    String m = ErrorLine.of("x".repeat(70_000));
    assertThat(m).startsWith("x".repeat(ErrorLine.MAX)).endsWith("... (69000 more characters)");
  }

  @Test
  void aFileNameWithANewlineIsOneLineInTheError() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("errline");
    CliRun r = CliRun.of("info", dir.resolve("evil\nname.onnx").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("evil\\nname.onnx");
  }
}
