package dev.condense.data;

import static dev.condense.data.NpyFiles.dict;
import static dev.condense.data.NpyFiles.fixture;
import static dev.condense.data.NpyFiles.float32;
import static dev.condense.data.NpyFiles.npy;
import static dev.condense.data.NpyFiles.zip;
import static dev.condense.data.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** .npz archives, stored and deflated, read as NumPy reads them; broken ones refused with one line. */
class NpzFileTest {
  @TempDir Path dir;

  static Stream<NpyFiles.Expected> npzArrays() {
    return NpyFiles.expected().stream().filter(e -> e.file().endsWith(".npz") && !e.array().contains("|"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("npzArrays")
  void readsWhatNumpyWrote(NpyFiles.Expected e) {
    try (NpzFile z = NpzFile.open(fixture(e.file()))) {
      NpyArray a = z.read(e.array());
      assertThat(a.name()).isEqualTo(fixture(e.file()) + " (array " + e.array() + ")");
      NpyReaderTest.assertSameAsNumpy(a, e);
    }
  }

  @ParameterizedTest(name = "deflated {0}")
  @ValueSource(booleans = {false, true})
  void anEntryLargerThanTheFirstReadChunkIsReadWhole(boolean deflate) {
    // 5 MiB of float32: more than the reader's first 4 MiB chunk, so the buffer must grow (a
    // stored entry has no inflation limit, and growing it once wrapped the size to zero).
    int n = 5 << 18;
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i % 1000 - 500;
    }
    Path f = write(dir.resolve("big.npz"), zip(deflate, Map.of("x.npy", npy(dict("<f4", "(" + n + ",)"), float32(v)))));
    try (NpzFile z = NpzFile.open(f)) {
      NpyArray a = z.read("x");
      assertThat(a.shape()).containsExactly(n);
      assertThat(a.getDouble(n - 1)).isEqualTo(v[n - 1]);
      assertThat(Arrays.equals(a.toFloats(), v)).as("every value as written").isTrue();
    }
  }

  @Test
  void listsItsArrays() {
    try (NpzFile z = NpzFile.open(fixture("split-deflated.npz"))) {
      assertThat(z.names()).containsExactly("x_train", "y_train", "x_test", "y_test");
      assertThat(z.has("x_test")).isTrue();
      assertThat(z.has("x")).isFalse();
    }
  }

  @Test
  void aMissingArrayListsThoseThereAre() {
    Path f = fixture("xy.npz");
    try (NpzFile z = NpzFile.open(f)) {
      assertThatThrownBy(() -> z.read("x_train")).isInstanceOf(CondenseException.class)
          .hasMessage(f + ": no array 'x_train' (it holds x, y)");
    }
  }

  @Test
  void notAZipIsNamed() {
    Path f = write(dir.resolve("a.npz"), npy(dict("<f4", "(1,)"), new byte[4]));
    assertThatThrownBy(() -> NpzFile.open(f)).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(f + ": not an .npz archive (not a readable zip file: ");
    Path none = dir.resolve("none.npz");
    assertThatThrownBy(() -> NpzFile.open(none)).isInstanceOf(CondenseException.class).hasMessage(none + ": no such file");
  }

  @ParameterizedTest(name = "deflated {0}")
  @ValueSource(booleans = {false, true})
  void aTruncatedEntryNamesTheArray(boolean deflate) {
    byte[] full = npy(dict("<f4", "(4,)"), float32(1, 2, 3, 4));
    Path f = write(dir.resolve("t.npz"), zip(deflate, Map.of("x.npy", Arrays.copyOf(full, full.length - 6))));
    try (NpzFile z = NpzFile.open(f)) {
      assertThatThrownBy(() -> z.read("x")).isInstanceOf(CondenseException.class)
          .hasMessage(f + " (array x): truncated: the header announces a (4,) float32 array (16 bytes) but only 10 bytes follow");
    }
  }

  @Test
  void aHugeArrayAnnouncedByATinyDeflatedEntryFailsWithoutAllocatingIt() {
    // 400 MB announced, 1000 bytes present: read in steps as the inflater delivers them
    Path f = write(dir.resolve("bomb.npz"), zip(true, Map.of("x.npy", npy(dict("<f4", "(100000000,)"), new byte[1000]))));
    try (NpzFile z = NpzFile.open(f)) {
      assertThatThrownBy(() -> z.read("x")).isInstanceOf(CondenseException.class)
          .hasMessage(f + " (array x): truncated: the header announces a (100000000,) float32 array (400000000 bytes) "
              + "but only 1000 bytes follow");
    }
  }

  @Test
  void sizesInTheZipDirectoryAreNotTrusted() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("x.npy", npy(dict("<f4", "(3,)"), float32(1.5f, 2.5f, -1f)));
    byte[] archive = zip(true, entries);
    // the central directory entry (PK\1\2) claims 2 GB uncompressed
    int cd = indexOf(archive, new byte[] {'P', 'K', 1, 2});
    ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN).putInt(cd + 24, Integer.MAX_VALUE);
    Path f = write(dir.resolve("lies.npz"), archive);
    try (NpzFile z = NpzFile.open(f)) {
      assertThat(z.read("x").toFloats()).containsExactly(1.5f, 2.5f, -1f);
    }
  }

  @Test
  void corruptDeflatedDataIsNamed() {
    byte[] archive = zip(true, Map.of("x.npy", npy(dict("<f4", "(64,)"), float32(new float[64]))));
    int local = indexOf(archive, new byte[] {'P', 'K', 3, 4});
    int data = local + 30 + 5; // fixed local header, then the 5-byte name "x.npy"
    for (int k = data; k < data + 12; k++) {
      archive[k] = (byte) 0xff;
    }
    Path f = write(dir.resolve("corrupt.npz"), archive);
    try (NpzFile z = NpzFile.open(f)) {
      assertThatThrownBy(() -> z.read("x")).isInstanceOf(CondenseException.class)
          .hasMessageStartingWith(f + " (array x): corrupt compressed data (");
    }
  }

  @Test
  void anEntryThatIsNotNpyIsNamed() {
    Path f = write(dir.resolve("png.npz"), zip(false, Map.of("x.npy", "\u0089PNG....".getBytes())));
    try (NpzFile z = NpzFile.open(f)) {
      assertThatThrownBy(() -> z.read("x")).isInstanceOf(CondenseException.class)
          .hasMessage(f + " (array x): not a .npy file: it does not start with \\x93NUMPY");
    }
  }

  private static int indexOf(byte[] b, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= b.length; i++) {
      for (int k = 0; k < pattern.length; k++) {
        if (b[i + k] != pattern[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("pattern not found");
  }
}
