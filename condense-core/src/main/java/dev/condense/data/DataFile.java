package dev.condense.data;

import dev.condense.CondenseException;
import dev.condense.SizeBudget;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A data file being read from the start: a path or a stream with a name for messages, gzip
 * recognised by its magic bytes (not its name) and unpacked on the fly. Every failure becomes a
 * one-line {@link CondenseException} that names the file, and no read allocates more than the
 * file can hold: lengths announced by a header are checked against the size of a plain file, and
 * grow in steps while a compressed stream actually delivers the bytes.
 */
final class DataFile implements Closeable {
  /** The largest byte array the JVM allocates reliably. */
  static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final int FIRST_CHUNK = 4 << 20;
  /** How much of an unexpected compressed tail is counted for the message. */
  private static final long TAIL_COUNTED = 1 << 20;

  private final String name;
  private final InputStream in;
  private final boolean gzip;
  private final boolean owned;
  private long remaining;

  /** Bytes that may still be delivered before the {@link SizeBudget} of compressed data is spent. */
  private final java.util.function.LongSupplier inflateLimit;
  private long delivered;

  private DataFile(String name, InputStream raw, long size, boolean owned, long packedBytes) throws IOException {
    this.name = name;
    this.owned = owned;
    Counting counted = new Counting(raw);
    BufferedInputStream buffered = new BufferedInputStream(counted, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    this.gzip = b0 == 0x1f && b1 == 0x8b;
    this.in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    this.remaining = gzip ? -1 : size;
    // gzip: bounded by the compressed bytes read so far; a zip entry: by its compressed size
    this.inflateLimit = gzip ? () -> SizeBudget.allowedInflation(counted.count)
        : packedBytes >= 0 ? () -> SizeBudget.allowedInflation(packedBytes) : () -> Long.MAX_VALUE;
  }

  /** Counts the bytes read from the file itself, before any inflation. */
  private static final class Counting extends java.io.FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      count += Math.max(0, n);
      return n;
    }
  }

  /** Opens {@code path}; a missing file, a directory or an unreadable file is a clear error. */
  static DataFile open(Path path) {
    String name = path.toString();
    if (Files.isDirectory(path)) {
      throw new CondenseException(name + ": is a directory, expected a file");
    }
    InputStream raw = null;
    try {
      raw = Files.newInputStream(path);
      return new DataFile(name, raw, Files.size(path), true, -1);
    } catch (NoSuchFileException e) {
      throw new CondenseException(name + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CondenseException(name + ": permission denied");
    } catch (IOException e) {
      closeQuietly(raw);
      throw failure(name, e);
    }
  }

  /** Reads {@code stream} (left open for its owner to close), called {@code name} in messages. */
  static DataFile of(InputStream stream, String name) {
    return of(stream, name, -1);
  }

  /**
   * Like {@link #of(InputStream, String)} for a stream that inflates {@code packedBytes} of
   * compressed data (a zip entry's), which bounds what it may deliver by the {@link SizeBudget}.
   */
  static DataFile of(InputStream stream, String name, long packedBytes) {
    try {
      return new DataFile(name, stream, -1, false, packedBytes);
    } catch (IOException e) {
      throw failure(name, e, false);
    }
  }

  String name() {
    return name;
  }

  /** Whether the content is gzip-compressed (and read decompressed). */
  boolean gzip() {
    return gzip;
  }

  /** Bytes left in a plain file, or −1 where unknown (a stream, or gzip). */
  long remaining() {
    return remaining;
  }

  /** An error about this file: "name: message". */
  CondenseException error(String message) {
    return new CondenseException(name + ": " + message);
  }

  /** A big-endian 32-bit header field; the file ending first is a truncated {@code header}. */
  int readInt(String header) {
    byte[] b = new byte[4];
    int got = readUpTo(b, 0, 4);
    if (got < 4) {
      throw error("truncated: the file ends inside its " + header);
    }
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  /**
   * Exactly {@code n} bytes, described as {@code what} ("60000 images of 28×28") when the file
   * ends early. A plain file is checked against its size before anything is allocated.
   */
  byte[] readExactly(long n, String what) {
    if (n > MAX_ARRAY) {
      throw error(what + " need " + n + " bytes, more than one data set can hold");
    }
    if (remaining >= 0 && remaining < n) {
      throw truncated(n, remaining, what);
    }
    int size = (int) n;
    byte[] data = new byte[remaining >= 0 ? size : Math.min(size, FIRST_CHUNK)];
    int have = 0;
    while (have < size) {
      if (have == data.length) {
        data = Arrays.copyOf(data, (int) Math.min(size, Math.min(2L * data.length, saturatedIncrement(inflateLimit.getAsLong()))));
      }
      int got = readUpTo(data, have, data.length - have);
      have += got;
      if (have < data.length) {
        throw truncated(n, have, what);
      }
    }
    return data;
  }

  /** {@code n + 1}, or {@code n} for no limit ({@code Long.MAX_VALUE}), which + 1 would wrap to a negative size. */
  private static long saturatedIncrement(long n) {
    return n == Long.MAX_VALUE ? n : n + 1;
  }

  /** Everything up to the end of the file. */
  byte[] readAll() {
    if (remaining > MAX_ARRAY) {
      throw error(remaining + " bytes, too large for one data set");
    }
    byte[] data = new byte[remaining >= 0 ? (int) remaining : FIRST_CHUNK];
    int have = 0;
    while (true) {
      have += readUpTo(data, have, data.length - have);
      if (have < data.length || remaining == 0) {
        return have == data.length ? data : Arrays.copyOf(data, have);
      }
      if (data.length == MAX_ARRAY) {
        throw error("more than " + MAX_ARRAY + " bytes, too large for one data set");
      }
      data = Arrays.copyOf(data, (int) Math.min(MAX_ARRAY, Math.max(FIRST_CHUNK, 2L * data.length)));
    }
  }

  /** Fails unless the file ends here; {@code what} names the content that should have been last. */
  void expectEnd(String what) {
    if (remaining > 0) {
      throw error(remaining + " unexpected bytes after " + what + " announced by its header");
    }
    // A compressed tail is counted up to a bound, never inflated to its end (it may be gigabytes).
    byte[] skip = new byte[8192];
    long extra = 0;
    int got;
    while (extra < TAIL_COUNTED && (got = readUpTo(skip, 0, skip.length)) > 0) {
      extra += got;
    }
    if (extra >= TAIL_COUNTED) {
      throw error("more than " + TAIL_COUNTED + " unexpected bytes after " + what + " announced by its header");
    }
    if (extra > 0) {
      throw error(extra + " unexpected bytes after " + what + " announced by its header");
    }
  }

  private CondenseException truncated(long wanted, long available, String what) {
    return error("truncated: the header announces " + what + " (" + wanted + " bytes) but only "
        + available + " bytes follow");
  }

  /** Reads until {@code len} bytes or the end; returns the count read. */
  int readUpTo(byte[] b, int off, int len) {
    try {
      int n = in.readNBytes(b, off, len);
      if (remaining >= 0) {
        remaining -= n;
      }
      delivered += n;
      long limit = inflateLimit.getAsLong();
      if (delivered > limit) {
        throw error("the compressed data inflate to more than " + limit + " bytes, more than "
            + SizeBudget.INFLATION + "× their size (" + (SizeBudget.FLOOR_BYTES >> 20)
            + " MiB at least; a decompression bomb?)");
      }
      return n;
    } catch (IOException e) {
      throw failure(name, e, gzip);
    }
  }

  private static CondenseException failure(String name, IOException e) {
    return failure(name, e, true);
  }

  /** Why reading failed; {@code gzip}: whether a zip error is in this file's own gzip layer. */
  private static CondenseException failure(String name, IOException e, boolean gzip) {
    if (e instanceof EOFException) {
      return new CondenseException(name + ": truncated: the compressed data ends early", e);
    }
    if (e instanceof ZipException) {
      // a stream that is not gzip itself may come out of a zip archive's inflater
      return new CondenseException(name + ": corrupt " + (gzip ? "gzip" : "compressed") + " data ("
          + e.getMessage() + ")", e);
    }
    return new CondenseException(name + ": cannot read (" + dev.condense.IoErrors.reason(e) + ")", e);
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the read already failed; that error is the one to report
      }
    }
  }

  /** Closes a file this class opened; a caller's stream is left open for its owner. */
  @Override
  public void close() {
    if (!owned) {
      return;
    }
    try {
      in.close();
    } catch (IOException e) {
      throw failure(name, e);
    }
  }
}
