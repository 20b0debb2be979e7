package dev.condense;

/**
 * How much memory a file may make Condense allocate before any of it is trusted: the one budget
 * every reader and load-time computation checks declared sizes against, before allocating. A
 * file may decode to at most {@link #EXPANSION} times its own size, with a floor of
 * {@link #FLOOR_BYTES} (so small valid files are never refused) and a ceiling of
 * {@link #MAX_BYTES} (4 GiB of tensor data) however large the file. It covers a {@code .cdz}'s
 * decoded tensors and constants folded at load from an ONNX graph's weights; compressed data
 * (gzip, .npz entries) may inflate to {@link #INFLATION} times its size, with the same floor and
 * ceiling. Going over it is a one-line {@link CondenseException} naming the
 * file or node and both sizes.
 */
public final class SizeBudget {
  /** Bytes any file may decode to, however small it is: 64 MiB. */
  public static final long FLOOR_BYTES = 64L << 20;
  /** Bytes no file decodes to, however large it is: 4 GiB. */
  public static final long MAX_BYTES = 4L << 30;
  /**
   * How many times its own size a file may decode to. DEFLATE cannot exceed about 1032:1, and a
   * pruned, shared .cdz of 1 % density stays near 100:1; a bomb aims far beyond.
   */
  public static final long EXPANSION = 1024;

  /**
   * How many times its size compressed data (gzip, a zip entry) may inflate to. Real data sets
   * stay far below (MNIST's images: 5×); DEFLATE's own bound, about 1032×, is what a bomb uses.
   */
  public static final long INFLATION = 64;

  private SizeBudget() {}

  /** The bytes {@code packedBytes} of compressed data may inflate to. */
  public static long allowedInflation(long packedBytes) {
    return Math.min(MAX_BYTES, Math.max(FLOOR_BYTES, packedBytes * INFLATION));
  }

  /** The bytes a file of {@code inputBytes} bytes may decode to. */
  public static long allowed(long inputBytes) {
    long scaled = inputBytes > MAX_BYTES / EXPANSION ? MAX_BYTES : inputBytes * EXPANSION;
    return Math.min(MAX_BYTES, Math.max(FLOOR_BYTES, scaled));
  }

  /**
   * The bytes a file of {@code inputBytes} bytes may decode to under {@code limit}: an explicit
   * limit replaces the expansion rule (the user has said how much a file may take); the default one
   * caps it, so a file that fits the rule but not the heap is refused before it is decoded.
   */
  public static long allowed(long inputBytes, MemoryLimit limit) {
    return limit.explicit() ? limit.modelBytes() : Math.min(limit.modelBytes(), allowed(inputBytes));
  }

  /**
   * Fails unless {@code bytes} (decoded so far, or declared) fits what {@code inputBytes} bytes of
   * input allow; {@code what} starts the message ("model.cdz: tensor 'w'").
   */
  public static void check(long bytes, long inputBytes, String what) {
    long limit = allowed(inputBytes);
    if (bytes < 0 || bytes > limit) {
      throw new CondenseException(what + ": would need " + describe(bytes) + ", more than the "
          + describe(limit) + " a " + inputBytes + "-byte input may decode to (at most "
          + EXPANSION + "× its size, " + describe(FLOOR_BYTES) + " at least, " + describe(MAX_BYTES)
          + " at most)");
    }
  }

  private static String describe(long bytes) {
    return MemoryLimit.describe(bytes);
  }

}
