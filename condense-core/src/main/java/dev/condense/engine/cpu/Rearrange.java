package dev.condense.engine.cpu;

import java.util.Arrays;
import java.util.Map;

/**
 * A tensor with one letter per axis taken to another letter order over a subset of its letters:
 * {@link #sum} adds every element into the element of the target with the same letter indices
 * (a permutation where the letters are the same, a sum over the letters the target lacks), and
 * {@link #spread} is its adjoint, every source element reading the target's element (a
 * permutation back, a broadcast over the summed letters). Einsum's steps ({@link EinsumKernel}).
 */
final class Rearrange {
  private final int[] dims;
  /** For each source axis, the target's stride for its letter, 0 where the target lacks it. */
  private final int[] strides;
  private final int size;
  private final int targetSize;

  Rearrange(String from, String to, Map<Character, Integer> sizes) {
    dims = new int[from.length()];
    strides = new int[from.length()];
    int s = 1;
    for (int i = 0; i < from.length(); i++) {
      dims[i] = sizes.get(from.charAt(i));
      s *= dims[i];
    }
    size = s;
    int t = 1;
    for (int j = to.length() - 1; j >= 0; j--) {
      int i = from.indexOf(to.charAt(j));
      strides[i] = t;
      t *= sizes.get(to.charAt(j));
    }
    targetSize = t;
  }

  /** {@code y} (the target, overwritten) from {@code x} (the source). */
  void sum(float[] x, float[] y) {
    Arrays.fill(y, 0, targetSize, 0f);
    walk(x, y, true);
  }

  /** Adds, or writes where {@code accumulate} is false, the target's elements {@code y} into the source {@code x}. */
  void spread(float[] y, float[] x, boolean accumulate) {
    if (!accumulate) {
      Arrays.fill(x, 0, size, 0f);
    }
    walk(x, y, false);
  }

  private void walk(float[] x, float[] y, boolean toTarget) {
    int r = dims.length;
    int[] idx = new int[r];
    int at = 0;
    for (int e = 0; e < size; e++) {
      if (toTarget) {
        y[at] += x[e];
      } else {
        x[e] += y[at];
      }
      for (int d = r - 1; d >= 0; d--) {
        at += strides[d];
        if (++idx[d] < dims[d]) {
          break;
        }
        at -= strides[d] * dims[d];
        idx[d] = 0;
      }
    }
  }
}
