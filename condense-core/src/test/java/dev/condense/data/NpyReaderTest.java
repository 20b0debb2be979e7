package dev.condense.data;

import static dev.condense.data.NpyFiles.dict;
import static dev.condense.data.NpyFiles.fixture;
import static dev.condense.data.NpyFiles.float32;
import static dev.condense.data.NpyFiles.npy;
import static dev.condense.data.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** .npy files written by NumPy read back as NumPy reads them; faulty files refused with one line. */
class NpyReaderTest {
  @TempDir Path dir;

  static Stream<NpyFiles.Expected> npyFixtures() {
    return NpyFiles.expected().stream().filter(e -> e.array().equals("-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("npyFixtures")
  void readsWhatNumpyWrote(NpyFiles.Expected e) {
    NpyArray a = NpyReader.read(fixture(e.file()));
    assertSameAsNumpy(a, e);
  }

  /** Type, shape, every value exactly, and the float32 narrowing NumPy's astype gives. */
  static void assertSameAsNumpy(NpyArray a, NpyFiles.Expected e) {
    assertThat(a.type().code()).isEqualTo(e.descr().substring(1));
    assertThat(a.shape()).containsExactly(e.shape());
    assertThat(a.count()).isEqualTo(e.values().length);
    float[] narrowed = a.toFloats();
    for (int i = 0; i < a.count(); i++) {
      String v = e.values()[i];
      if (a.type().integer() || a.type() == NpyType.BOOL) {
        assertThat(a.getLong(i)).as("%s[%d]", e.file(), i).isEqualTo(new BigInteger(v).longValue());
      } else {
        assertThat(Double.doubleToLongBits(a.getDouble(i))).as("%s[%d] = %s", e.file(), i, v)
            .isEqualTo(Double.doubleToLongBits(Double.parseDouble(v)));
      }
      assertThat(Float.floatToIntBits(narrowed[i])).as("%s[%d] as float32", e.file(), i)
          .isEqualTo(Float.floatToIntBits((float) Double.parseDouble(e.asFloat32()[i])));
    }
  }

  @Test
  void theFixturesCoverEveryTypeBothByteOrdersFortranOrderAndAllVersions() {
    List<NpyFiles.Expected> all = npyFixtures().toList();
    for (NpyType t : NpyType.values()) {
      List<String> descrs = all.stream().map(NpyFiles.Expected::descr).filter(d -> d.endsWith(t.code())).toList();
      assertThat(descrs).as(t.name()).contains(t.size() == 1 ? "|" + t.code() : "<" + t.code());
      if (t.size() > 1) {
        assertThat(descrs).as(t.name()).contains(">" + t.code());
      }
    }
    assertThat(all.stream().filter(NpyFiles.Expected::fortran).count()).isEqualTo(2);
    assertThat(version("v2.npy")).isEqualTo(2);
    assertThat(version("v3.npy")).isEqualTo(3);
    assertThat(version("lt-f4.npy")).isEqualTo(1);
  }

  private static int version(String file) {
    try {
      return Files.readAllBytes(fixture(file))[6];
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void readsAGzippedNpy() {
    Path gz = write(dir.resolve("a.npy.gz"), TestFiles.gzip(npy(dict("<f4", "(2,)"), float32(1.5f, -2f))));
    assertThat(NpyReader.read(gz).toFloats()).containsExactly(1.5f, -2f);
  }

  @Test
  void objectArraysAreRefused() {
    Path f = fixture("object.npy");
    assertThatThrownBy(() -> NpyReader.read(f)).isInstanceOf(CondenseException.class)
        .hasMessage(f + ": unsupported dtype '|O': object arrays hold pickled Python objects, which Condense "
            + "does not read; save a numeric array");
  }

  @Test
  void structuredDtypesAreRefused() {
    Path f = fixture("structured.npy");
    assertThatThrownBy(() -> NpyReader.read(f)).isInstanceOf(CondenseException.class)
        .hasMessage(f + ": a structured dtype (fields a, b), which Condense does not read: save each field as its "
            + "own numeric array");
  }

  @Test
  void otherDtypesAreNamed() {
    assertRefused(npy(dict("<c8", "(1,)"), new byte[8]), "unsupported dtype '<c8': complex numbers, which no model input takes");
    assertRefused(npy(dict("<U3", "(1,)"), new byte[12]), "unsupported dtype '<U3': an array of strings, not numbers");
    assertRefused(npy(dict("<M8[s]", "(1,)"), new byte[8]), "unsupported dtype '<M8[s]': dates or time spans, not numbers");
    assertRefused(npy(dict("|f4", "(1,)"), new byte[4]),
        "dtype '|f4' has no byte order NumPy writes ('<' or '>' for types larger than one byte)");
  }

  @Test
  void truncatedDataSayHowMuchIsMissing() throws IOException {
    byte[] full = Files.readAllBytes(fixture("lt-f8.npy"));
    assertRefused(Arrays.copyOf(full, full.length - 5),
        "truncated: the header announces a (2, 3) float64 array (48 bytes) but only 43 bytes follow");
  }

  @Test
  void bytesAfterTheArrayAreAnError() throws IOException {
    byte[] full = Files.readAllBytes(fixture("lt-i2.npy"));
    assertRefused(Arrays.copyOf(full, full.length + 3), "3 unexpected bytes after a (2, 3) int16 array announced by its header");
  }

  @Test
  void truncatedHeadersAreNamed() throws IOException {
    byte[] full = Files.readAllBytes(fixture("lt-f4.npy"));
    assertRefused(Arrays.copyOf(full, 7), "truncated: the file ends inside its .npy preamble");
    assertRefused(Arrays.copyOf(full, 9), "truncated: the file ends inside its .npy preamble");
    assertRefused(Arrays.copyOf(full, 40), "truncated: the file ends inside its .npy 118-byte header");
  }

  @Test
  void aShapeThatLiesAboutTheDataIsCaughtBeforeAllocating() {
    // 2^31−1 × 2^31−1 float64: the product overflows a long of bytes
    assertRefused(npy(dict("<f8", "(2147483647, 2147483647, 4)"), new byte[16]),
        "a (2147483647, 2147483647, 4) float64 array has more elements than one data set can hold");
    // 4 GB announced by a 100-byte file
    assertRefused(npy(dict("<f4", "(1000000000,)"), new byte[16]),
        "a (1000000000,) float32 array needs 4000000000 bytes, more than one data set can hold");
    assertRefused(npy(dict("<f4", "(100000000,)"), new byte[16]),
        "truncated: the header announces a (100000000,) float32 array (400000000 bytes) but only 16 bytes follow");
  }

  @Test
  void notNpyFilesAreRecognised() {
    assertRefused("PNG\r\n\u001a\n..........".getBytes(), "not a .npy file: it does not start with \\x93NUMPY");
    assertRefused(NpyFiles.zip(false, java.util.Map.of("a.npy", new byte[1])),
        "not a .npy file: it does not start with \\x93NUMPY (it is a zip archive: an .npz?)");
    assertRefused(new byte[0], "not a .npy file: it does not start with \\x93NUMPY");
  }

  @Test
  void unknownVersionsAreRefused() {
    byte[] b = npy(dict("<f4", "(1,)"), new byte[4]);
    b[6] = 4;
    assertRefused(b, ".npy format version 4.0; Condense reads versions 1.0, 2.0 and 3.0");
    b[6] = 1;
    b[7] = 1;
    assertRefused(b, ".npy format version 1.1; Condense reads versions 1.0, 2.0 and 3.0");
  }

  @Test
  void hugeHeaderLengthsAreRefusedAsNumpyRefusesThem() {
    byte[] b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
        .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(-1).array();
    assertRefused(b, "a 4294967295-byte .npy header, longer than the 10000 bytes NumPy itself reads "
        + "(a structured dtype with many fields, or a corrupt file)");
  }

  @Test
  void headersThatAreNotNumpysDictAreCorrupt() {
    assertRefused(npy("{'descr': '<f4', 'shape': (1,), }", new byte[4]),
        "corrupt .npy header: expected a dict of descr, fortran_order and shape, found {'descr': '<f4', 'shape': (1,), }");
    assertRefused(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", new byte[4]),
        "corrupt .npy header: fortran_order is not True or False");
    assertRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new byte[4]),
        "corrupt .npy header: dimension 0 of the shape is -1, not a count from 0 to 2147483647");
    assertRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': [1], }", new byte[4]),
        "corrupt .npy header: shape [1] is not a tuple");
    assertRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,), }", new byte[4]),
        "corrupt .npy header (a number that is not an integer at character 52)");
    assertRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) ", new byte[4]),
        "corrupt .npy header (the text ends where ',' or '}' should be)");
  }

  @Test
  void python2HeadersWithLongIntegersAreRead() {
    Path f = write(dir.resolve("py2.npy"), npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 1L), }",
        float32(3f, 4f)));
    NpyArray a = NpyReader.read(f);
    assertThat(a.shape()).containsExactly(2, 1);
    assertThat(a.toFloats()).containsExactly(3f, 4f);
  }

  @Test
  void missingFilesAreNamed() {
    Path none = dir.resolve("none.npy");
    assertThatThrownBy(() -> NpyReader.read(none)).isInstanceOf(CondenseException.class).hasMessage(none + ": no such file");
  }

  private void assertRefused(byte[] content, String message) {
    Path f = write(dir.resolve("bad.npy"), content);
    assertThatThrownBy(() -> NpyReader.read(f)).isInstanceOf(CondenseException.class).hasMessage(f + ": " + message);
  }
}
