package dev.condense.codec;

import dev.condense.CondenseException;

/** Reads bit fields most-significant bit first; reading past the end is a clear error. */
public final class BitReader {
  private final byte[] buf;
  private final int offset;
  private final long limitBits;
  private long pos;
  private final String what;

  /** Reads {@code length} bytes of {@code buf} from {@code offset}; {@code what} names them in errors. */
  public BitReader(byte[] buf, int offset, int length, String what) {
    this.buf = buf;
    this.offset = offset;
    this.limitBits = (long) length * 8;
    this.what = what;
  }

  public int readBit() {
    if (pos >= limitBits) {
      throw new CondenseException(what + ": truncated bit stream");
    }
    int b = (buf[offset + (int) (pos >>> 3)] >>> (7 - (pos & 7))) & 1;
    pos++;
    return b;
  }

  /** Reads {@code n} bits (0 ≤ n ≤ 32) as an unsigned value in an int. */
  public int read(int n) {
    if (pos + n > limitBits) {
      throw new CondenseException(what + ": truncated bit stream");
    }
    int v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 1) | readBit();
    }
    return v;
  }

  public float readFloat() {
    return Float.intBitsToFloat(read(32));
  }

  public long position() {
    return pos;
  }

  /** What the bits are, for error messages ("m.cdz: section 3 (tensor 'w')"). */
  public String what() {
    return what;
  }
}
