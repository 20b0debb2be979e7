package dev.condense.plan;

import dev.condense.CondenseException;

/**
 * The fewest channels a group may keep under a global plan: at least {@code fraction} of its
 * channels and at least {@code count}, rounded up to a multiple of {@code align} (the runtime's
 * block, {@link dev.condense.structure.ChannelAlignment}). Without a floor a global ranking can
 * spend a whole target on one layer, cutting 16 channels to 2.
 */
public record ChannelFloor(double fraction, int count, int align) {
  /** The default floor: a tenth of each group's channels and at least one, unaligned. */
  public static final ChannelFloor DEFAULT = new ChannelFloor(0.1, 1, 1);

  public ChannelFloor {
    if (!(fraction >= 0 && fraction <= 1) || count < 1 || align < 1) {
      throw new CondenseException("a channel floor needs a fraction in [0, 1], a count ≥ 1 and an alignment ≥ 1");
    }
  }

  /** The fewest channels a group of {@code size} keeps, never more than {@code size}. */
  public int minimum(int size) {
    int m = Math.max(count, (int) Math.ceil(fraction * size - 1e-9));
    m = ceilTo(m, align);
    return Math.min(size, m);
  }

  /**
   * The kept count for a group of {@code size} whose ranking would keep {@code kept}: rounded up
   * to the alignment (never removing more than the ranking chose) and at least {@link #minimum}.
   * A group that keeps all its channels stays whole even if its size is not aligned.
   */
  public int keep(int size, int kept) {
    if (kept >= size) {
      return size;
    }
    return Math.min(size, Math.max(minimum(size), ceilTo(kept, align)));
  }

  private static int ceilTo(int n, int multiple) {
    return (n + multiple - 1) / multiple * multiple;
  }
}
