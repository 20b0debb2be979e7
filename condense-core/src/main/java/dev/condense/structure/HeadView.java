package dev.condense.structure;

/**
 * How an activation holds the attention heads of a channel group: the heads lie on axis
 * {@code axis} — alone ([B, T, heads, d]) or, {@code merged}, as the inner factor of a batch axis
 * ([T, B·heads, d], index b·heads + h, as PyTorch's MultiheadAttention lays them out) — and the
 * {@code size} components of one head on axis {@code dAxis}, or nowhere (-1) once a product
 * contracted them (the attention scores [B·heads, T, T]).
 */
record HeadView(int group, int axis, boolean merged, int dAxis, int count, int size) {

  HeadView moved(int newAxis, int newDAxis) {
    return new HeadView(group, newAxis, merged, newDAxis, count, size);
  }

  /** Whether {@code o} lays out the same heads alike along the same axis. */
  boolean alignedWith(HeadView o) {
    return axis == o.axis && merged == o.merged && count == o.count && size == o.size;
  }

  /**
   * The heads view a Reshape makes of channels on the last axis of {@code in} (E channels):
   * [..., E] → [..., heads, d], or [..., N, E] → [..., N·heads, d]; null when {@code out} is
   * neither. The leading dims must be the input's.
   */
  static HeadView split(int group, int[] in, int[] out) {
    int r = in.length;
    int d = out[out.length - 1];
    if (r < 2 || d < 1 || in[r - 1] % d != 0 || in[r - 1] / d < 2) {
      return null;
    }
    int heads = in[r - 1] / d;
    if (out.length == r + 1 && prefixEqual(in, out, r - 1) && out[r - 1] == heads) {
      return new HeadView(group, r - 1, false, r, heads, d);
    }
    if (out.length == r && prefixEqual(in, out, r - 2) && out[r - 2] == (long) in[r - 2] * heads) {
      return new HeadView(group, r - 2, true, r - 1, heads, d);
    }
    return null;
  }

  /** The Reshape target that makes this view of the input at any batch and head count: [0, ..., 0, -1, d]. */
  long[] splitSpec(int outRank) {
    long[] spec = new long[outRank];
    spec[outRank - 2] = -1;
    spec[outRank - 1] = size;
    return spec;
  }

  /**
   * The Reshape that joins the heads back into E = heads·d channels on the last axis of {@code out},
   * from this view on {@code in}: as a rewrite of node {@code node}'s target, or null when {@code out}
   * is not such a join (the heads and their components must be the input's last two factors).
   */
  ShapeRewrite merge(String node, int[] in, int[] out) {
    int r = in.length;
    long e = (long) count * size;
    if (dAxis != r - 1 || axis != r - 2 || out[out.length - 1] != e) {
      return null;
    }
    if (out.length == 2) {
      return new ShapeRewrite(node, 1, new long[] {-1, e}, new long[] {0, 1});
    }
    if (!merged && out.length == r - 1 && prefixEqual(in, out, r - 2)) {
      long[] spec = new long[out.length];
      spec[out.length - 1] = -1;
      return ShapeRewrite.fixed(node, 1, spec);
    }
    if (merged && out.length == r && prefixEqual(in, out, r - 2) && (long) out[r - 2] * count == in[r - 2]) {
      long[] spec = new long[r];
      long[] per = new long[r];
      spec[r - 2] = -1;
      spec[r - 1] = e;
      per[r - 1] = 1;
      return new ShapeRewrite(node, 1, spec, per);
    }
    return null;
  }

  private static boolean prefixEqual(int[] a, int[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }
}
