package dev.condense;

import java.util.Locale;

/**
 * How much memory one run may plan to use: the largest single tensor and the total of one model
 * (its decoded tensors, or one compiled engine plan's buffers). Readers and the engine check
 * declared sizes against it before allocating, so a file or a batch that cannot fit is a one-line
 * {@link MemoryLimitException} naming what needed how much, instead of an out-of-memory error an
 * hour in. The default ({@link #forHeap}) is sized to the JVM's heap; an explicit limit (the CLI's
 * {@code --max-memory}) also lifts the {@link SizeBudget}'s expansion rule for files, since the
 * user has then said how much a file may take.
 *
 * @param tensorBytes the most bytes one tensor may take
 * @param modelBytes the most bytes one model's tensors, or one plan's buffers, may take together
 * @param explicit whether the user set it (rather than the heap-sized default)
 */
public record MemoryLimit(long tensorBytes, long modelBytes, boolean explicit) {

  /** The largest Java float array: 2^31 - 1 elements. */
  public static final long MAX_ARRAY_BYTES = 4L * Integer.MAX_VALUE;

  public MemoryLimit {
    if (tensorBytes < 1 || modelBytes < 1) {
      throw new CondenseException("a memory limit must be at least 1 byte, got " + Math.min(tensorBytes, modelBytes));
    }
  }

  /**
   * The default for a heap of {@code heapBytes} ({@code Runtime.maxMemory()}): a model's tensors
   * or one plan's buffers may take half of it (the engine keeps the weights, their gradients and
   * momentum besides), one tensor the same, and never more than a Java array holds.
   */
  public static MemoryLimit forHeap(long heapBytes) {
    long model = Math.max(1, heapBytes / 2);
    return new MemoryLimit(Math.min(model, MAX_ARRAY_BYTES), model, false);
  }

  /** The default for this JVM's heap. */
  public static MemoryLimit forThisHeap() {
    return forHeap(Runtime.getRuntime().maxMemory());
  }

  /** A limit the user set: {@code bytes} for a model in total and for any one tensor (at most a Java array). */
  public static MemoryLimit of(long bytes) {
    return new MemoryLimit(Math.min(bytes, MAX_ARRAY_BYTES), bytes, true);
  }

  /**
   * Parses a size: a number of bytes with an optional suffix k, m, g or t (powers of 1024, case
   * ignored, an optional trailing "b" or "ib"): {@code 512m}, {@code 2g}, {@code 1.5GiB}.
   */
  public static long parseBytes(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.endsWith("ib")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    int shift = 0;
    if (!s.isEmpty()) {
      int i = "kmgt".indexOf(s.charAt(s.length() - 1));
      if (i >= 0) {
        shift = 10 * (i + 1);
        s = s.substring(0, s.length() - 1);
      }
    }
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new CondenseException("'" + OneLine.of(text) + "' is not a size (a number of bytes, or with k, m, g or t: 512m, 2g)");
    }
    double bytes = v * (double) (1L << shift);
    if (!(bytes >= 1) || bytes >= 0x1p62) {
      throw new CondenseException("size '" + OneLine.of(text) + "' is out of range (1 byte to 4 EiB)");
    }
    return (long) bytes;
  }

  /** Fails unless one tensor of {@code bytes} fits; {@code what} starts the message ("model.cdz: tensor 'w'"). */
  public void checkTensor(long bytes, String what) {
    if (bytes < 0 || bytes > tensorBytes) {
      throw new MemoryLimitException(what + ": needs " + describe(bytes) + ", more than the " + describe(tensorBytes)
          + " one tensor may take (" + source() + ")", MemoryLimitException.Remedy.LIMIT);
    }
  }

  /** Fails unless {@code bytes} in total fit; {@code what} starts the message. */
  public void checkTotal(long bytes, String what) {
    if (bytes < 0 || bytes > modelBytes) {
      throw new MemoryLimitException(what + ": needs " + describe(bytes) + ", more than the " + describe(modelBytes)
          + " a model may take (" + source() + ")", MemoryLimitException.Remedy.LIMIT);
    }
  }

  /** Where the limit came from, for messages: "the memory limit" or "half the 1.0 GiB heap". */
  public String source() {
    return explicit ? "the memory limit" : "half the " + describe(2 * modelBytes) + " heap";
  }

  /** Bytes as people read them: "512 bytes", "3.0 MiB", "6.4 GiB". */
  public static String describe(long bytes) {
    if (bytes < 0) {
      return "more than 2^63 bytes";
    }
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return bytes + " bytes";
  }
}
