package dev.condense.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.condense.CondenseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ImageDecoder} against Pillow 9.4's decode of the same files ({@code
 * tools/image-fixtures.py}): every PNG kind byte for byte; JPEG within the bounds the JDK's
 * libjpeg and PIL's libjpeg-turbo differ by. Bad files give one line naming the file.
 */
class ImageDecoderTest {
  /**
   * JPEG: the largest difference from PIL's decode of any sample, and of the mean, in levels.
   * Measured 0 and 0.0 on all eight fixture files (baseline 4:2:0, 4:2:2, 4:4:4, progressive,
   * gray): the JDK's libjpeg 6b and libjpeg-turbo 2.1 share the integer IDCT, fancy upsampling
   * and YCbCr tables.
   */
  static final int JPEG_MAX_DIFF = 0;
  static final double JPEG_MEAN_DIFF = 0.0;

  @TempDir Path dir;

  static Stream<Arguments> files() {
    List<String[]> cases = PillowFixtures.cases("decode.txt");
    assertTrue(cases.size() >= 28, "the fixture list has its files");
    return cases.stream().map(f -> Arguments.of(f[0] + " (PIL mode " + f[1] + ")", f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void pixelsArePils(String name, String[] f) {
    Image expected = PillowFixtures.image(f[5], f[2], f[3], f[4]);
    Image actual = ImageDecoder.decode(PillowFixtures.path(f[0]));
    if (f[6].equals("exact")) {
      PillowFixtures.assertSamePixels(expected, actual, f[0]);
      return;
    }
    assertEquals(expected.channels() + "x" + expected.height() + "x" + expected.width(),
        actual.channels() + "x" + actual.height() + "x" + actual.width(), f[0]);
    int max = 0;
    long sum = 0;
    for (int i = 0; i < expected.pixels().length; i++) {
      int d = Math.abs((expected.pixels()[i] & 0xff) - (actual.pixels()[i] & 0xff));
      max = Math.max(max, d);
      sum += d;
    }
    double mean = (double) sum / expected.pixels().length;
    assertTrue(max <= JPEG_MAX_DIFF && mean <= JPEG_MEAN_DIFF,
        f[0] + ": max |difference| from PIL " + max + ", mean " + mean);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(PillowFixtures.path(name));
  }

  /** Asserts {@code file} is refused with one line that names it and contains {@code what}. */
  private static void refused(Path file, String what) {
    CondenseException e = assertThrows(CondenseException.class, () -> ImageDecoder.decode(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(what), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  /** A PNG chunk: length, type, data, CRC. */
  private static byte[] chunk(String type, byte[] data) {
    CRC32 crc = new CRC32();
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    crc.update(t);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data).putInt((int) crc.getValue()).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  private static byte[] png(int width, int height, int depth, int type, byte[] idat) {
    byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) depth).put((byte) type)
        .put((byte) 0).put((byte) 0).put((byte) 0).array();
    return concat(PngHeader.SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", new byte[0]));
  }

  @Test
  void missingEmptyAndNonImageFilesAreRefused() throws IOException {
    refused(dir.resolve("nothere.png"), "no such file");
    refused(write("empty.png", new byte[0]), "empty file");
    refused(write("notes.png", "label,file\n3,a.png\n".getBytes()), "not a PNG or JPEG file (text");
    refused(write("anim.png", "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;".getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1)), "a GIF image");
    refused(write("bytes.jpg", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), "not a PNG or JPEG file");
  }

  @Test
  void anImageWhosePixelsCannotFitIsRefusedBeforeDecoding() throws IOException {
    // 20000 x 20000 RGB: 1.2 GB of pixels, and a file large enough (a 1.2 MB text chunk) that
    // DEFLATE's 1032:1 could hold them, so only the memory check stands between it and the decoder
    byte[] ihdr = ByteBuffer.allocate(13).putInt(20_000).putInt(20_000).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0).array();
    byte[] text = new byte[1_200_000];
    Arrays.fill(text, (byte) 'x');
    byte[] idat = {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};
    Path big = write("big.png", concat(PngHeader.SIGNATURE, chunk("IHDR", ihdr), chunk("tEXt", text), chunk("IDAT", idat),
        chunk("IEND", new byte[0])));
    long limit = dev.condense.MemoryLimit.forThisHeap().tensorBytes();
    refused(big, "PNG of 20000x20000 pixels would need 2.6 GiB to decode, more than the "
        + dev.condense.MemoryLimit.describe(limit) + " one image may take");
  }

  @Test
  void truncatedFilesAreRefused() throws IOException {
    for (String name : List.of("rgb8.png", "gray-interlaced.png", "palette.png", "rgb16.png")) {
      byte[] b = fixture(name);
      refused(write("cut-" + name, Arrays.copyOf(b, b.length - 30)), "PNG file");
      refused(write("head-" + name, Arrays.copyOf(b, 20)), "PNG file");
    }
    for (String name : List.of("rgb-q90.jpg", "rgb-progressive.jpg", "gray.jpg")) {
      byte[] b = fixture(name);
      refused(write("cut-" + name, Arrays.copyOf(b, b.length * 2 / 3)), "truncated JPEG file");
      refused(write("head-" + name, Arrays.copyOf(b, 40)), "JPEG file");
    }
  }

  @Test
  void corruptDataIsRefused() throws IOException {
    byte[] noise = new byte[200];
    new java.util.Random(14).nextBytes(noise);
    refused(write("noise.png", png(8, 8, 8, 2, noise)), "corrupt or truncated PNG file");
    refused(write("depth.png", png(8, 8, 3, 2, noise)), "bit depth 3");
    refused(write("zero.png", png(0, 8, 8, 0, noise)), "0x8");
    byte[] b = fixture("rgb-q90.jpg");
    for (int i = b.length / 2; i < b.length / 2 + 40; i++) {
      b[i] = (byte) 0xff; // markers in the middle of the entropy-coded data
    }
    Path damaged = write("damaged.jpg", b);
    CondenseException e = assertThrows(CondenseException.class, () -> ImageDecoder.decode(damaged));
    assertTrue(e.getMessage().startsWith(damaged + ": "), e.getMessage());
  }

  /** A small file declaring a huge image is refused from its header, before anything is allocated. */
  @Test
  void declaredSizesTheFileCannotHoldAreRefused() throws IOException {
    byte[] idat = deflate(new byte[100]);
    refused(write("huge.png", png(100_000, 100_000, 8, 6, idat)), "declares 100000x100000 pixels, more than its");
    refused(write("wide.png", png(Integer.MAX_VALUE, 1, 8, 0, idat)), "more than its");
    byte[] jpeg = fixture("gray.jpg");
    int sof = sofOffset(jpeg);
    jpeg[sof + 5] = (byte) 0xff; // height 65,535
    jpeg[sof + 6] = (byte) 0xff;
    jpeg[sof + 7] = (byte) 0xff; // width 65,535
    jpeg[sof + 8] = (byte) 0xff;
    refused(write("huge.jpg", jpeg), "declares 65535x65535 pixels, more than its");
  }

  @Test
  void unsupportedJpegKindsAreNamed() throws IOException {
    byte[] jpeg = fixture("rgb-q90.jpg");
    int sof = sofOffset(jpeg);
    byte[] cmyk = jpeg.clone();
    cmyk[sof + 9] = 4;
    refused(write("cmyk.jpg", cmyk), "4 components");
    byte[] twelve = jpeg.clone();
    twelve[sof + 4] = 12;
    refused(write("twelve.jpg", twelve), "12-bit samples");
    byte[] arithmetic = jpeg.clone();
    arithmetic[sof + 1] = (byte) 0xc9;
    refused(write("arith.jpg", arithmetic), "unsupported JPEG process (SOF9");
  }

  @Test
  void declaredSizeIsTheDecodedSize() throws IOException {
    Image image = ImageDecoder.decode(PillowFixtures.path("rgb-odd-422.jpg"));
    assertEquals(List.of(3, 21, 35), List.of(image.channels(), image.height(), image.width()));
  }

  private static int sofOffset(byte[] jpeg) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && ((jpeg[i + 1] & 0xff) == 0xc0 || (jpeg[i + 1] & 0xff) == 0xc2)) {
        return i;
      }
    }
    throw new AssertionError("no SOF marker");
  }

  private static byte[] deflate(byte[] raw) {
    java.util.zip.Deflater d = new java.util.zip.Deflater();
    d.setInput(raw);
    d.finish();
    byte[] out = new byte[raw.length + 64];
    int n = d.deflate(out);
    d.end();
    return Arrays.copyOf(out, n);
  }
}
