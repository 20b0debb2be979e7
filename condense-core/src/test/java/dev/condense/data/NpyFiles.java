package dev.condense.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The NumPy fixtures written by {@code npy/make_fixtures.py} and what NumPy says they hold, plus
 * hand-made .npy and .npz bytes for the faults NumPy would never write.
 */
final class NpyFiles {
  private NpyFiles() {}

  /** One array of {@code expected.txt}: NumPy's reading of a fixture. */
  record Expected(String file, String array, String descr, boolean fortran, int[] shape, String[] values,
      String[] asFloat32) {}

  /** The fixture {@code file} (in the test resources' {@code dev/condense/data/npy/}). */
  static Path fixture(String file) {
    try {
      return Path.of(NpyFiles.class.getResource("npy/" + file).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test fixture npy/" + file + " is missing", e);
    }
  }

  static List<Expected> expected() {
    try {
      List<Expected> out = new ArrayList<>();
      for (String line : Files.readAllLines(fixture("expected.txt"))) {
        String[] f = line.split("\t", -1);
        int[] shape = f[4].isEmpty() ? new int[0]
            : java.util.Arrays.stream(f[4].split(",")).mapToInt(Integer::parseInt).toArray();
        out.add(new Expected(f[0], f[1], f[2], Boolean.parseBoolean(f[3]), shape, words(f[5]), words(f[6])));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] words(String s) {
    return s.isEmpty() ? new String[0] : s.split(" ");
  }

  /** A version 1.0 .npy file with header dict {@code dict} (padded as NumPy pads it) and {@code data}. */
  static byte[] npy(String dict, byte[] data) {
    byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
    int length = text.length + 1;
    length += (64 - (10 + length) % 64) % 64;
    ByteBuffer b = ByteBuffer.allocate(10 + length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) length).put(text);
    while (b.position() < 10 + length - 1) {
      b.put((byte) ' ');
    }
    return b.put((byte) '\n').put(data).array();
  }

  /** The header dict NumPy writes for {@code descr} and {@code shape} (a tuple's text). */
  static String dict(String descr, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  }

  static byte[] float32(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  static byte[] int64(long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long l : v) {
      b.putLong(l);
    }
    return b.array();
  }

  /** A zip of {@code entries} (name → bytes), stored or deflated, as numpy.savez writes one. */
  static byte[] zip(boolean deflate, Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        if (!deflate) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          entry.setCrc(crc.getValue());
        }
        z.putNextEntry(entry);
        z.write(e.getValue());
        z.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
