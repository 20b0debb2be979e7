package dev.condense.codec;

import java.util.Arrays;

/** Writes bit fields most-significant bit first into a growing byte array. */
public final class BitWriter {
  private byte[] buf = new byte[64];
  private long bits;

  /** Appends the low {@code n} bits of {@code value} (0 ≤ n ≤ 32). */
  public void write(int value, int n) {
    for (int i = n - 1; i >= 0; i--) {
      writeBit((value >>> i) & 1);
    }
  }

  public void writeBit(int bit) {
    int byteIndex = (int) (bits >>> 3);
    if (byteIndex == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    if (bit != 0) {
      buf[byteIndex] |= (byte) (0x80 >>> (bits & 7));
    }
    bits++;
  }

  /** Appends the 32 bits of a float. */
  public void writeFloat(float f) {
    write(Float.floatToRawIntBits(f), 32);
  }

  public long bitLength() {
    return bits;
  }

  /** The bits written, padded with zeros to whole bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, (int) ((bits + 7) >>> 3));
  }
}
