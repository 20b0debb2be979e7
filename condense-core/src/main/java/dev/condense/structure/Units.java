package dev.condense.structure;

import java.util.Arrays;

/**
 * Choosing channels in whole units: a group whose channels pass a grouped Conv loses aligned
 * blocks of {@link ChannelGroup#unit()} channels at once (one group of the Conv each), so a
 * method's per-channel scores are summed per block and whole blocks are chosen.
 */
public final class Units {
  private Units() {}

  /**
   * The {@code n} channels (a multiple of {@code unit}, else rounded down) of the lowest-scoring
   * blocks of {@code unit} channels, ascending; ties go to the lower index. With unit 1, the
   * {@code n} lowest scores.
   */
  public static int[] lowest(double[] score, int n, int unit) {
    int blocks = score.length / unit;
    double[] sum = new double[blocks];
    for (int i = 0; i < blocks * unit; i++) {
      sum[i / unit] += score[i];
    }
    Integer[] order = new Integer[blocks];
    for (int i = 0; i < blocks; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> sum[a] != sum[b] ? Double.compare(sum[a], sum[b]) : Integer.compare(a, b));
    int take = Math.min(n / unit, blocks);
    int[] out = new int[take * unit];
    for (int i = 0; i < take; i++) {
      for (int k = 0; k < unit; k++) {
        out[i * unit + k] = order[i] * unit + k;
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** Of {@code channels}, those whose whole block of {@code unit} is among them, ascending. */
  public static int[] whole(int[] channels, int unit) {
    java.util.BitSet set = new java.util.BitSet();
    for (int c : channels) {
      set.set(c);
    }
    return Arrays.stream(channels).sorted().filter(c -> {
      int first = c / unit * unit;
      return set.get(first, first + unit).cardinality() == unit;
    }).toArray();
  }
}
