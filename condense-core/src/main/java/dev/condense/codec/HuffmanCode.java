package dev.condense.codec;

import dev.condense.CondenseException;
import java.util.PriorityQueue;

/**
 * A canonical Huffman code over symbols 0..n−1 (Deep Compression §4 codes the weight indices and
 * the index gaps of each layer this way). Canonical codes are fully described by each symbol's
 * code length, so the table stored in a file is just the lengths (5 bits each).
 */
public final class HuffmanCode {
  /** Longest code allowed; frequencies are flattened until the code fits. */
  public static final int MAX_LENGTH = 24;

  private final int[] lengths;
  private final int[] codes;
  /** Decoding tables: per length, the first code, how many codes, and where its symbols start. */
  private final int[] firstCode = new int[MAX_LENGTH + 2];
  private final int[] count = new int[MAX_LENGTH + 2];
  private final int[] firstIndex = new int[MAX_LENGTH + 2];
  private final int[] sorted;

  private HuffmanCode(int[] lengths) {
    this.lengths = lengths;
    int n = lengths.length;
    for (int l : lengths) {
      if (l < 0 || l > MAX_LENGTH) {
        throw new CondenseException("invalid Huffman code length " + l);
      }
      if (l > 0) {
        count[l]++;
      }
    }
    codes = new int[n];
    sorted = new int[n];
    int code = 0;
    int index = 0;
    long kraft = 0;
    for (int len = 1; len <= MAX_LENGTH; len++) {
      firstCode[len] = code;
      firstIndex[len] = index;
      for (int s = 0; s < n; s++) {
        if (lengths[s] == len) {
          codes[s] = code++;
          sorted[index++] = s;
        }
      }
      kraft += (long) count[len] << (MAX_LENGTH - len);
      code <<= 1;
    }
    if (kraft > (1L << MAX_LENGTH)) {
      throw new CondenseException("invalid Huffman table: code lengths over-subscribe the code space");
    }
  }

  /** The optimal code for the given symbol frequencies (unused symbols get no code). */
  public static HuffmanCode fromFrequencies(long[] freq) {
    long[] f = freq.clone();
    while (true) {
      int[] lengths = lengths(f);
      int max = 0;
      for (int l : lengths) {
        max = Math.max(max, l);
      }
      if (max <= MAX_LENGTH) {
        return new HuffmanCode(lengths);
      }
      for (int i = 0; i < f.length; i++) {
        f[i] = f[i] == 0 ? 0 : (f[i] + 1) / 2; // flatten the distribution, keep used symbols used
      }
    }
  }

  /** A code from stored lengths (a file's table). */
  public static HuffmanCode fromLengths(int[] lengths) {
    return new HuffmanCode(lengths.clone());
  }

  private static int[] lengths(long[] freq) {
    int n = freq.length;
    int[] len = new int[n];
    int used = 0;
    int only = -1;
    for (int s = 0; s < n; s++) {
      if (freq[s] > 0) {
        used++;
        only = s;
      }
    }
    if (used == 1) {
      len[only] = 1;
      return len;
    }
    // Nodes: 0..n-1 leaves, n.. internal; ties broken by node id so the code is deterministic.
    int[] parent = new int[2 * n];
    long[] weight = new long[2 * n];
    PriorityQueue<long[]> q = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    for (int s = 0; s < n; s++) {
      if (freq[s] > 0) {
        weight[s] = freq[s];
        q.add(new long[] {freq[s], s});
      }
    }
    int next = n;
    while (q.size() > 1) {
      long[] a = q.poll();
      long[] b = q.poll();
      weight[next] = a[0] + b[0];
      parent[(int) a[1]] = next;
      parent[(int) b[1]] = next;
      q.add(new long[] {weight[next], next});
      next++;
    }
    int root = next - 1;
    for (int s = 0; s < n; s++) {
      if (freq[s] > 0) {
        int d = 0;
        for (int v = s; v != root; v = parent[v]) {
          d++;
        }
        len[s] = d;
      }
    }
    return len;
  }

  public int size() {
    return lengths.length;
  }

  public int length(int symbol) {
    return lengths[symbol];
  }

  public void encode(BitWriter out, int symbol) {
    if (symbol < 0 || symbol >= lengths.length || lengths[symbol] == 0) {
      throw new IllegalArgumentException("symbol " + symbol + " has no code");
    }
    out.write(codes[symbol], lengths[symbol]);
  }

  public int decode(BitReader in) {
    int code = 0;
    for (int len = 1; len <= MAX_LENGTH; len++) {
      code = (code << 1) | in.readBit();
      int delta = code - firstCode[len];
      if (count[len] > 0 && delta >= 0 && delta < count[len]) {
        return sorted[firstIndex[len] + delta];
      }
    }
    throw new CondenseException(in.what() + ": corrupt Huffman-coded data (no symbol matches)");
  }

  /** Bits the table takes in a file: 5 per symbol. */
  public int tableBits() {
    return 5 * lengths.length;
  }

  public void writeTable(BitWriter out) {
    for (int l : lengths) {
      out.write(l, 5);
    }
  }

  public static HuffmanCode readTable(BitReader in, int symbols) {
    int[] len = new int[symbols];
    for (int i = 0; i < symbols; i++) {
      len[i] = in.read(5);
    }
    try {
      return new HuffmanCode(len);
    } catch (CondenseException e) {
      throw new CondenseException(in.what() + ": " + e.getMessage());
    }
  }
}
