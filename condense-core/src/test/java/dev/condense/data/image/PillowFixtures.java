package dev.condense.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The fixtures {@code tools/image-fixtures.py} wrote with Pillow 9.4 and torchvision 0.14: case
 * lists and planar 8-bit pixels, read from the test resources.
 */
final class PillowFixtures {
  private PillowFixtures() {}

  /** The whitespace-separated fields of each line of a case list. */
  static List<String[]> cases(String list) {
    List<String[]> out = new ArrayList<>();
    for (String line : new String(bytes(list), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(line.trim().split("\\s+"));
      }
    }
    return out;
  }

  /** The image stored gzip-compressed in {@code name}, of the given channels and size. */
  static Image image(String name, String c, String h, String w) {
    try (InputStream in = new GZIPInputStream(stream(name))) {
      return new Image(in.readAllBytes(), Integer.parseInt(c), Integer.parseInt(h), Integer.parseInt(w));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path of a fixture file. */
  static Path path(String name) {
    try {
      return Path.of(PillowFixtures.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fails naming the first differing byte and how many differ. */
  static void assertSamePixels(Image expected, Image actual, String what) {
    assertEquals(expected.channels() + "x" + expected.height() + "x" + expected.width(),
        actual.channels() + "x" + actual.height() + "x" + actual.width(), what + ": shape");
    byte[] e = expected.pixels();
    byte[] a = actual.pixels();
    int first = -1;
    int count = 0;
    for (int i = 0; i < e.length; i++) {
      if (e[i] != a[i]) {
        count++;
        first = first < 0 ? i : first;
      }
    }
    if (count > 0) {
      int plane = expected.height() * expected.width();
      throw new AssertionError(what + ": " + count + " of " + e.length + " bytes differ; first at c="
          + first / plane + " y=" + first % plane / expected.width() + " x=" + first % expected.width()
          + ": expected " + (e[first] & 0xff) + ", got " + (a[first] & 0xff));
    }
  }

  private static byte[] bytes(String name) {
    try (InputStream in = stream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream stream(String name) {
    InputStream in = PillowFixtures.class.getResourceAsStream(name);
    assertNotNull(in, "fixture " + name + " (written by tools/image-fixtures.py)");
    return in;
  }
}
