package dev.condense.data;

/**
 * A {@link Normalization} as one multiply-add per value and channel: {@code x = p·scale + offset}
 * with {@code scale = 1/(divisor·std)} and {@code offset = −mean/std}, which is
 * {@code (p/divisor − mean)/std} and which the JIT vectorises over a plane of values (a table
 * lookup per value does not). Image pixels and stored arrays share it.
 */
final class ChannelScaling {
  private final float[] scale;
  private final float[] offset;

  /** {@code n} over {@code channels} channels (a one-value mean and std serve them all). */
  ChannelScaling(Normalization n, int channels) {
    scale = new float[channels];
    offset = new float[channels];
    for (int c = 0; c < channels; c++) {
      scale[c] = 1f / (n.divisor() * n.stdOf(c));
      offset[c] = -n.meanOf(c) / n.stdOf(c);
    }
  }

  /** Value {@code p} of channel {@code c}, normalised. */
  float apply(int c, float p) {
    return p * scale[c] + offset[c];
  }

  /** {@code count} unsigned bytes of channel {@code c} from {@code src[from]} into {@code dst[to]}. */
  void apply(int c, byte[] src, int from, float[] dst, int to, int count) {
    float a = scale[c];
    float o = offset[c];
    for (int j = 0; j < count; j++) {
      dst[to + j] = (src[from + j] & 0xff) * a + o;
    }
  }

  /** {@code count} floats of channel {@code c} from {@code src[from]} into {@code dst[to]}. */
  void apply(int c, float[] src, int from, float[] dst, int to, int count) {
    float a = scale[c];
    float o = offset[c];
    for (int j = 0; j < count; j++) {
      dst[to + j] = src[from + j] * a + o;
    }
  }
}
