package dev.condense.format;

import dev.condense.CondenseException;
import dev.condense.MemoryLimitException;
import dev.condense.SizeBudget;
import dev.condense.codec.BitReader;
import dev.condense.codec.BitWriter;
import dev.condense.codec.HuffmanCode;
import dev.condense.codec.RelativeIndexEncoder;
import dev.condense.graph.CompressionState;
import dev.condense.graph.DType;
import dev.condense.graph.Tensor;
import dev.condense.graph.WeightAnnotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Encodes one tensor into a {@code .cdz} tensor payload and decodes it back, bit-identically.
 * Decoding checks every size against the bytes actually present before allocating, so a corrupt
 * or hostile file fails with a one-line error instead of exhausting memory.
 *
 * <p>Payload: u8 encoding, u8 ONNX element type, u8 rank, u32 dims[rank], then per encoding:
 * DENSE raw values; SPARSE u8 layout, u8 gapBits, u32 count, bits {gap, float32}; SPARSE_CODEBOOK
 * u8 layout, u8 gapBits, u8 codeBits, u16 K, float32 codebook[K], u32 count, bits {gap, symbol};
 * SPARSE_CODEBOOK_HUFFMAN as the latter, then the symbol and gap Huffman tables (5 bits per
 * symbol) and the codes. Symbol 0 is zero (relative-index fillers), symbol s ≥ 1 is
 * codebook[s − 1]. PACKED (integer tensors of non-negative values, e.g. vector-quantization codes)
 * u8 bits, then every element as a bits-wide unsigned integer. Layout 0 (CSR) walks the tensor as [dim 0, rest] row by row, layout 1 (CSC)
 * column by column.
 */
public final class TensorEncoder {
  /** Largest tensor a file may hold (2^28 elements, 1 GiB of float32). */
  static final long MAX_ELEMENTS = 1L << 28;

  /** The highest rank the reader accepts (and so the writer writes). */
  static final int MAX_RANK = 8;

  private TensorEncoder() {}

  /** Bits to pack non-negative integers below 2^31, or 0 if some value does not fit. */
  public static int packedBits(long[] v) {
    long max = 0;
    for (long x : v) {
      if (x < 0 || x > Integer.MAX_VALUE) {
        return 0;
      }
      max = Math.max(max, x);
    }
    return Math.max(1, 64 - Long.numberOfLeadingZeros(max));
  }

  /** Bits needed for symbols 0..k (k codebook entries plus zero). */
  static int codeBits(int k) {
    return Math.max(1, 32 - Integer.numberOfLeadingZeros(k));
  }

  /** The order sparse entries are walked in (Deep Compression stores CSR or CSC). */
  public enum Layout { CSR, CSC }

  public static EncodedTensor encode(Tensor t, Encoding enc, int gapBits) {
    return encode(t, enc, gapBits, Layout.CSR);
  }

  /** The tensor's values as a [dim 0, rest] matrix walked column by column. */
  static float[] columnMajor(float[] w, int rows) {
    int[] order = columnMajorOrder(w.length, rows);
    float[] t = new float[w.length];
    for (int k = 0; k < t.length; k++) {
      t[k] = w[order[k]];
    }
    return t;
  }

  /** Element k of a [rows, size / rows] matrix walked column by column is element {@code order[k]}. */
  static int[] columnMajorOrder(int size, int rows) {
    int cols = size / Math.max(1, rows);
    int[] order = new int[size];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        order[c * rows + r] = r * cols + c;
      }
    }
    return order;
  }

  /**
   * Encodes {@code t}; a codebook encoding stores the distinct non-zero values of {@code t} as its
   * codebook (see {@link #encode(Tensor, float[], Encoding, int, Layout)}).
   */
  public static EncodedTensor encode(Tensor t, Encoding enc, int gapBits, Layout layout) {
    float[] codebook = enc == Encoding.SPARSE_CODEBOOK || enc == Encoding.SPARSE_CODEBOOK_HUFFMAN
        ? CompressionState.distinctNonZero(t.floats(), 65_535) : null;
    return encode(t, codebook, enc, gapBits, layout);
  }

  /**
   * Encodes {@code t}; a codebook encoding stores {@code codebook}: the distinct non-zero values
   * of the tensor, ascending ({@link CompressionState#sortedCodebook}), at most 65,535 (null: too
   * many). Symbol s ≥ 1 stands for {@code codebook[s - 1]}, 0 for zero.
   */
  public static EncodedTensor encode(Tensor t, float[] codebook, Encoding enc, int gapBits, Layout layout) {
    ByteBuffer head = ByteBuffer.allocate(3 + 4 * t.rank() + 9).order(ByteOrder.LITTLE_ENDIAN);
    head.put((byte) enc.code).put((byte) t.dtype().onnxCode()).put((byte) t.rank());
    for (int d : t.shape()) {
      head.putInt(d);
    }
    if (enc == Encoding.DENSE) {
      byte[] raw = dev.condense.graph.RawData.toLittleEndian(t);
      return new EncodedTensor(enc, concat(head, raw), 8L * raw.length, 0, t.size(), Layout.CSR, 0);
    }
    if (enc == Encoding.PACKED) {
      long[] v = t.toLongs();
      int bits = packedBits(v);
      head.put((byte) bits);
      BitWriter out = new BitWriter();
      for (long x : v) {
        out.write((int) x, bits);
      }
      return new EncodedTensor(enc, concat(head, out.toByteArray()), out.bitLength(), 0, t.size(), Layout.CSR, 0);
    }
    if (t.dtype() != DType.FLOAT) {
      throw new IllegalArgumentException("sparse encodings hold float tensors only");
    }
    int rows = t.rank() == 0 ? 1 : t.dim(0);
    float[] w = layout == Layout.CSC ? columnMajor(t.floats(), rows) : t.floats();
    BitWriter bits = new BitWriter();
    long weightBits = 0;
    long indexBits = 0;
    head.put((byte) layout.ordinal());
    head.put((byte) gapBits);
    if (enc == Encoding.SPARSE) {
      float[] values = new float[w.length];
      int[] symbols = new int[w.length];
      int nz = 0;
      for (int i = 0; i < w.length; i++) {
        if (w[i] != 0f) {
          values[nz] = w[i];
          symbols[i] = ++nz;
        }
      }
      RelativeIndexEncoder.Entries e = RelativeIndexEncoder.encode(symbols, gapBits);
      head.putInt(e.count());
      for (int i = 0; i < e.count(); i++) {
        bits.write(e.gaps()[i], gapBits);
        bits.writeFloat(e.symbols()[i] == 0 ? 0f : values[e.symbols()[i] - 1]);
      }
      weightBits = 32L * e.count();
      indexBits = (long) gapBits * e.count();
      return new EncodedTensor(enc, concat(head, bits.toByteArray()), weightBits, indexBits, nz, layout, gapBits);
    }
    if (codebook == null || codebook.length > 65_535) {
      throw new IllegalArgumentException("tensor has more than 65,535 distinct values: not quantized");
    }
    int[] symbols = new int[w.length];
    long nz = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] != 0f) {
        symbols[i] = Arrays.binarySearch(codebook, w[i]) + 1;
        if (symbols[i] <= 0) {
          throw new IllegalArgumentException("value " + w[i] + " is not in the codebook");
        }
        nz++;
      }
    }
    int codeBits = codeBits(codebook.length);
    RelativeIndexEncoder.Entries e = RelativeIndexEncoder.encode(symbols, gapBits);
    ByteBuffer cb = ByteBuffer.allocate(3 + 4 * codebook.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    cb.put((byte) codeBits).putShort((short) codebook.length);
    for (float c : codebook) {
      cb.putFloat(c);
    }
    cb.putInt(e.count());
    weightBits = 32L * codebook.length;
    if (enc == Encoding.SPARSE_CODEBOOK) {
      for (int i = 0; i < e.count(); i++) {
        bits.write(e.gaps()[i], gapBits);
        bits.write(e.symbols()[i], codeBits);
      }
      weightBits += (long) codeBits * e.count();
      indexBits = (long) gapBits * e.count();
    } else {
      long[] symFreq = new long[codebook.length + 1];
      long[] gapFreq = new long[1 << gapBits];
      for (int i = 0; i < e.count(); i++) {
        symFreq[e.symbols()[i]]++;
        gapFreq[e.gaps()[i]]++;
      }
      HuffmanCode symCode = HuffmanCode.fromFrequencies(symFreq);
      HuffmanCode gapCode = HuffmanCode.fromFrequencies(gapFreq);
      symCode.writeTable(bits);
      gapCode.writeTable(bits);
      weightBits += symCode.tableBits();
      indexBits += gapCode.tableBits();
      for (int i = 0; i < e.count(); i++) {
        gapCode.encode(bits, e.gaps()[i]);
        symCode.encode(bits, e.symbols()[i]);
        indexBits += gapCode.length(e.gaps()[i]);
        weightBits += symCode.length(e.symbols()[i]);
      }
    }
    byte[] head2 = concat(head, Arrays.copyOf(cb.array(), cb.position()));
    return new EncodedTensor(enc, concatRaw(head2, bits.toByteArray()), weightBits, indexBits, nz, layout, gapBits);
  }

  private static Tensor fromLongs(DType dtype, long[] v, int[] shape, String what) {
    return switch (dtype) {
      case INT64 -> Tensor.ofLongs(v, shape);
      case INT32 -> Tensor.ofInts(java.util.Arrays.stream(v).mapToInt(x -> (int) x).toArray(), shape);
      case UINT8, INT8, BOOL -> {
        byte[] r = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
          if (v[i] > (dtype == DType.UINT8 ? 255 : 127)) {
            throw new CondenseException(what + ": packed value " + v[i] + " does not fit " + dtype.name().toLowerCase());
          }
          r[i] = (byte) v[i];
        }
        yield Tensor.ofBytes(dtype, r, shape);
      }
      case UINT4, INT4 -> throw new CondenseException(what + ": .cdz does not hold " + dtype.label() + " tensors");
      case FLOAT, FLOAT16, BFLOAT16, DOUBLE -> throw new IllegalStateException("packed encodings hold integer tensors; checked by the caller");
    };
  }

  private static byte[] concat(ByteBuffer head, byte[] tail) {
    return concatRaw(Arrays.copyOf(head.array(), head.position()), tail);
  }

  private static byte[] concatRaw(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * A decoded tensor and the compression state its encoding stores: a sparse encoding's stored
   * positions as its mask, a codebook encoding's codebook (entry s − 1 for symbol s); null where
   * the encoding has none. A kept weight whose value is 0.0 cannot be told from a pruned one in
   * the format, so it reads back as pruned.
   */
  public record Decoded(Tensor tensor, WeightAnnotation.Mask mask, WeightAnnotation.Codebook codebook) {}

  /**
   * Decodes a payload on its own, within the {@link SizeBudget} its length allows; {@code what}
   * names the section in errors.
   */
  public static Tensor decode(byte[] p, String what) {
    return decodeAnnotated(p, what, SizeBudget.allowed(p.length)).tensor();
  }

  /**
   * Decodes a payload with the mask and codebook it stores; {@code what} names the section in
   * errors. A tensor whose declared shape needs more than {@code maxBytes} is refused before
   * anything is allocated (a sparse tensor of a few entries may declare a billion elements).
   */
  public static Decoded decodeAnnotated(byte[] p, String what, long maxBytes) {
    ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
    try {
      Encoding enc = Encoding.of(b.get() & 0xff);
      if (enc == null) {
        throw new CondenseException(what + ": unknown tensor encoding " + (p[0] & 0xff));
      }
      DType dtype = DType.fromOnnx(b.get() & 0xff, what);
      int rank = b.get() & 0xff;
      if (rank > MAX_RANK) {
        throw new CondenseException(what + ": implausible rank " + rank);
      }
      int[] shape = new int[rank];
      long n = 1;
      for (int i = 0; i < rank; i++) {
        shape[i] = b.getInt();
        if (shape[i] < 0) {
          throw new CondenseException(what + ": negative dimension");
        }
        n *= shape[i];
        if (n > MAX_ELEMENTS) {
          throw new CondenseException(what + ": tensor of " + n + "+ elements is larger than a .cdz file may hold");
        }
      }
      int size = (int) n;
      if (n * dtype.bytes() > maxBytes) {
        throw new MemoryLimitException(what + ": a tensor of " + n + " elements (" + n * dtype.bytes()
            + " bytes) is more than the " + maxBytes + " bytes left of what the file may decode to"
            + " (at most " + SizeBudget.EXPANSION + "× its size, " + (SizeBudget.FLOOR_BYTES >> 20)
            + " MiB at least, and half the heap unless a memory limit is set)", MemoryLimitException.Remedy.LIMIT);
      }
      if (enc == Encoding.PACKED) {
        int bits = b.get() & 0xff;
        if (bits < 1 || bits > 31 || (long) size * bits > 8L * b.remaining() || dtype.isFloat()) {
          throw new CondenseException(what + ": invalid packed integer data");
        }
        BitReader in = new BitReader(p, b.position(), b.remaining(), what);
        long[] v = new long[size];
        for (int i = 0; i < size; i++) {
          v[i] = in.read(bits);
        }
        return new Decoded(fromLongs(dtype, v, shape, what), null, null);
      }
      if (enc == Encoding.DENSE) {
        if (b.remaining() != (long) size * dtype.bytes()) {
          throw new CondenseException(what + ": dense data has " + b.remaining() + " bytes, expected " + (long) size * dtype.bytes());
        }
        return new Decoded(dev.condense.graph.RawData.fromLittleEndian(b, dtype, shape), null, null);
      }
      if (dtype != DType.FLOAT) {
        throw new CondenseException(what + ": sparse encodings hold float tensors only");
      }
      int layout = b.get() & 0xff;
      if (layout > 1) {
        throw new CondenseException(what + ": unknown sparse layout " + layout);
      }
      int gapBits = b.get() & 0xff;
      if (gapBits < 1 || gapBits > RelativeIndexEncoder.MAX_BITS) {
        throw new CondenseException(what + ": invalid gap width " + gapBits);
      }
      float[] codebook = null;
      int codeBits = 32;
      if (enc != Encoding.SPARSE) {
        codeBits = b.get() & 0xff;
        int k = b.getShort() & 0xffff;
        if (codeBits < 1 || codeBits > 16 || k >= (1 << codeBits) || 4L * k > b.remaining()) {
          throw new CondenseException(what + ": invalid codebook header");
        }
        codebook = new float[k];
        b.asFloatBuffer().get(codebook);
        b.position(b.position() + 4 * k);
      }
      int count = b.getInt();
      // Every entry needs at least one bit (Huffman) and more otherwise: refuse counts the data
      // cannot hold, and sizes the entries cannot cover, before allocating anything.
      if (count < 0 || count > 8L * b.remaining() || count > size) {
        throw new CondenseException(what + ": entry count " + count + " does not fit the section");
      }
      if (size > RelativeIndexEncoder.maxSize(count, gapBits)) {
        throw new CondenseException(what + ": " + count + " sparse entries cannot describe " + size + " elements");
      }
      BitReader in = new BitReader(p, b.position(), b.remaining(), what);
      int[] gaps = new int[count];
      int[] symbols = new int[count];
      float[] values = enc == Encoding.SPARSE ? new float[count] : null;
      HuffmanCode symCode = null;
      HuffmanCode gapCode = null;
      if (enc == Encoding.SPARSE_CODEBOOK_HUFFMAN) {
        symCode = HuffmanCode.readTable(in, codebook.length + 1);
        gapCode = HuffmanCode.readTable(in, 1 << gapBits);
      }
      for (int i = 0; i < count; i++) {
        if (enc == Encoding.SPARSE) {
          gaps[i] = in.read(gapBits);
          values[i] = in.readFloat();
          symbols[i] = values[i] == 0f ? 0 : i + 1;
        } else if (enc == Encoding.SPARSE_CODEBOOK) {
          gaps[i] = in.read(gapBits);
          symbols[i] = in.read(codeBits);
        } else {
          gaps[i] = gapCode.decode(in);
          symbols[i] = symCode.decode(in);
        }
        if (codebook != null && symbols[i] > codebook.length) {
          throw new CondenseException(what + ": codebook index " + symbols[i] + " out of range");
        }
      }
      // Entries are visited where they land: no array of the tensor's size besides the outputs
      // (a file of a few kilobytes may declare 2^24 elements; its decoding must stay near 6 bytes each).
      int[] at = RelativeIndexEncoder.positions(gaps, count, size, gapBits, what);
      int rows = Math.max(1, rank == 0 ? 1 : shape[0]);
      int cols = size / rows;
      float[] w = new float[size];
      boolean[] keep = new boolean[size];
      int[] index = null;
      if (codebook != null) {
        index = new int[size];
        java.util.Arrays.fill(index, -1);
      }
      for (int i = 0; i < count; i++) {
        int s = symbols[i];
        if (s == 0) {
          continue; // a filler entry: a gap longer than the gap width can say
        }
        // CSC walked the [rows, cols] matrix column by column: walk position k is row k % rows, column k / rows
        int e = layout == 1 ? (at[i] % rows) * cols + at[i] / rows : at[i];
        keep[e] = true;
        if (codebook == null) {
          w[e] = values[s - 1];
        } else {
          w[e] = codebook[s - 1];
          index[e] = s - 1;
        }
      }
      return new Decoded(Tensor.of(w, shape), new WeightAnnotation.Mask(keep),
          codebook == null ? null : new WeightAnnotation.Codebook(codebook, index));
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new CondenseException(what + ": truncated or corrupt tensor data");
    }
  }
}
