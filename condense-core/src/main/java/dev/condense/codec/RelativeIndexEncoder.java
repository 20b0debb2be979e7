package dev.condense.codec;

import dev.condense.CondenseException;

/**
 * Deep Compression's sparse index format (§2, Fig. 2): the non-zero entries of a tensor in
 * row-major order, each stored with the gap to the previous stored entry (the number of zeros
 * skipped) in {@code b} bits. A gap larger than 2^b − 1 is bridged by filler entries that skip
 * 2^b − 1 zeros and store a zero themselves.
 *
 * <p>Entries carry symbols: 0 is the zero (fillers), 1.. are whatever the caller codes non-zero
 * values as (codebook indices + 1, or positions in a value list). Fillers also cover a long run
 * of zeros at the end, so the entries always reach within 2^b − 1 of the tensor's end: a reader
 * can then bound the tensor's size by the entry count before allocating anything.
 */
public final class RelativeIndexEncoder {
  /** Widest gap field: 12 bits (the paper uses 3 to 8). */
  public static final int MAX_BITS = 12;

  private RelativeIndexEncoder() {}

  /** The most elements {@code count} entries of {@code bits}-bit gaps can describe. */
  public static long maxSize(long count, int bits) {
    return (count + 1) << bits;
  }

  /** The stored entries: {@code gaps[i]} zeros, then an entry with {@code symbols[i]}. */
  public record Entries(int[] gaps, int[] symbols, int count, int fillers) {}

  /** Encodes {@code symbols} (0 = zero) with {@code bits}-bit gaps. */
  public static Entries encode(int[] symbols, int bits) {
    if (bits < 1 || bits > MAX_BITS) {
      throw new IllegalArgumentException("gap bits must be in 1.." + MAX_BITS + ", got " + bits);
    }
    int max = (1 << bits) - 1;
    int nonzero = 0;
    for (int s : symbols) {
      nonzero += s != 0 ? 1 : 0;
    }
    int cap = nonzero + symbols.length / (max + 1) + 1;
    int[] gaps = new int[cap];
    int[] syms = new int[cap];
    int n = 0;
    int fillers = 0;
    int gap = 0;
    for (int s : symbols) {
      if (s == 0) {
        gap++;
        continue;
      }
      while (gap > max) {
        gaps[n] = max;
        syms[n++] = 0;
        fillers++;
        gap -= max + 1;
      }
      gaps[n] = gap;
      syms[n++] = s;
      gap = 0;
    }
    while (gap > max) {
      gaps[n] = max;
      syms[n++] = 0;
      fillers++;
      gap -= max + 1;
    }
    return new Entries(java.util.Arrays.copyOf(gaps, n), java.util.Arrays.copyOf(syms, n), n, fillers);
  }

  /** The symbol array of length {@code size} the entries describe, which must reach its end. */
  public static int[] decode(int[] gaps, int[] symbols, int count, int size, int bits, String what) {
    int[] pos = positions(gaps.clone(), count, size, bits, what);
    int[] out = new int[size];
    for (int i = 0; i < count; i++) {
      out[pos[i]] = symbols[i];
    }
    return out;
  }

  /**
   * The position of each of the first {@code count} entries in a tensor of {@code size} elements,
   * computed in place in {@code gaps} (which it returns): a decoder that visits the entries needs
   * no array of the tensor's size. Fails, naming {@code what}, when the entries run past the end
   * or stop short of it by more than one gap of {@code bits} bits can skip.
   */
  public static int[] positions(int[] gaps, int count, int size, int bits, String what) {
    if (size > maxSize(count, bits)) {
      throw new CondenseException(what + ": " + count + " sparse entries cannot describe " + size + " elements");
    }
    long pos = -1;
    for (int i = 0; i < count; i++) {
      pos += gaps[i] + 1L;
      if (pos >= size) {
        throw new CondenseException(what + ": sparse index runs past the end of the tensor");
      }
      gaps[i] = (int) pos;
    }
    if (size - 1 - pos > (1 << bits) - 1) {
      throw new CondenseException(what + ": sparse index stops short of the end of the tensor");
    }
    return gaps;
  }

}
