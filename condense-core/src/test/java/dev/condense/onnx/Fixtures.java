package dev.condense.onnx;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The committed ONNX fixtures under {@code src/test/resources/onnx} (see make_fixtures.py). */
final class Fixtures {

  private Fixtures() {}

  static Path path(String name) {
    URL url = Fixtures.class.getResource("/onnx/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test fixture onnx/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
