package dev.condense.data;

import dev.condense.CondenseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads NumPy {@code .npy} files as numpy/lib/format.py (NEP 1) defines them: the magic
 * {@code \x93NUMPY}, a major and minor version byte, the header length (2 bytes little-endian in
 * version 1.0, 4 bytes in 2.0 and 3.0), the header — a Python dict literal, Latin-1 text in 1.0
 * and 2.0, UTF-8 in 3.0 — and the elements, exactly as many bytes as shape × element size. Every
 * fault is a one-line {@link CondenseException} naming the file: not a .npy, an unknown version,
 * a header that is not the dict NumPy writes, an unsupported dtype, data that end early or go on
 * after the array. Nothing is allocated that the file's length does not cover.
 */
public final class NpyReader {
  /** Every .npy file starts with these six bytes. */
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** NumPy's own bound on a header it parses ({@code _MAX_HEADER_SIZE} in numpy/lib/format.py). */
  static final int MAX_HEADER = 10_000;

  private NpyReader() {}

  /** The array in {@code file} (a gzip-compressed .npy is read too). */
  public static NpyArray read(Path file) {
    try (DataFile f = DataFile.open(file)) {
      return read(f);
    }
  }

  /** The array that {@code f} holds from its current position to its end. */
  static NpyArray read(DataFile f) {
    NpyHeader h = header(f);
    String what = h.describe();
    long bytes;
    try {
      bytes = Math.multiplyExact(h.count(), (long) h.type().size());
    } catch (ArithmeticException e) {
      throw f.error(what + " has more elements than one data set can hold");
    }
    if (bytes > DataFile.MAX_ARRAY) {
      throw f.error(what + " needs " + bytes + " bytes, more than one data set can hold");
    }
    byte[] data = f.readExactly(bytes, what);
    f.expectEnd(what);
    if (h.fortranOrder() && h.shape().length > 1) {
      data = FortranOrder.toC(data, h.shape(), h.type().size());
    }
    return new NpyArray(f.name(), h.type(), h.order(), h.shape(), data);
  }

  private static NpyHeader header(DataFile f) {
    byte[] start = new byte[MAGIC.length + 2];
    int got = f.readUpTo(start, 0, start.length);
    for (int k = 0; k < MAGIC.length; k++) {
      if (k >= got || start[k] != MAGIC[k]) {
        boolean zip = got >= 2 && start[0] == 'P' && start[1] == 'K';
        throw f.error("not a .npy file: it does not start with \\x93NUMPY"
            + (zip ? " (it is a zip archive: an .npz?)" : ""));
      }
    }
    if (got < start.length) {
      throw f.error("truncated: the file ends inside its .npy preamble");
    }
    int major = start[6] & 0xff;
    int minor = start[7] & 0xff;
    if (minor != 0 || major < 1 || major > 3) {
      throw f.error(".npy format version " + major + "." + minor + "; Condense reads versions 1.0, 2.0 and 3.0");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    byte[] l = headerBytes(f, lengthBytes, "preamble");
    long length = 0;
    for (int k = lengthBytes - 1; k >= 0; k--) {
      length = (length << 8) | (l[k] & 0xff);
    }
    if (length > MAX_HEADER) {
      throw f.error("a " + length + "-byte .npy header, longer than the " + MAX_HEADER
          + " bytes NumPy itself reads (a structured dtype with many fields, or a corrupt file)");
    }
    byte[] text = headerBytes(f, (int) length, length + "-byte header");
    return NpyHeader.parse(new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
        f.name());
  }

  /** {@code n} bytes (at most {@link #MAX_HEADER}) of the file's {@code part}; the file ending first is an error. */
  private static byte[] headerBytes(DataFile f, int n, String part) {
    byte[] b = new byte[n];
    if (f.readUpTo(b, 0, n) < n) {
      throw f.error("truncated: the file ends inside its .npy " + part);
    }
    return b;
  }
}
