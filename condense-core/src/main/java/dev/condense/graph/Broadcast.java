package dev.condense.graph;

import dev.condense.CondenseException;
import java.util.Arrays;

/** NumPy-style multidirectional broadcasting of shapes, as ONNX's Add, Mul and MatMul use it. */
public final class Broadcast {
  private Broadcast() {}

  /** The broadcast shape of {@code a} and {@code b}, or an error naming {@code node}. */
  public static int[] shape(int[] a, int[] b, Node node) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i < r - a.length ? 1 : a[i - (r - a.length)];
      int db = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new CondenseException("node " + node.label() + ": shapes " + Arrays.toString(a)
            + " and " + Arrays.toString(b) + " cannot be broadcast together");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /**
   * Row-major strides of {@code shape} seen through the broadcast shape {@code out}: 0 on every
   * axis where {@code shape} is 1 (or missing) and {@code out} is not.
   */
  public static int[] strides(int[] shape, int[] out) {
    int r = out.length;
    int[] s = new int[r];
    int stride = 1;
    for (int i = r - 1; i >= 0; i--) {
      int j = i - (r - shape.length);
      int d = j >= 0 ? shape[j] : 1;
      s[i] = d == 1 && out[i] != 1 ? 0 : stride;
      stride *= d;
    }
    return s;
  }

  /** For every element of {@code out} in row-major order, the flat index of the {@code shape} element broadcast to it. */
  public static int[] sourceIndex(int[] shape, int[] out) {
    int[] st = strides(shape, out);
    int[] map = new int[Math.toIntExact(Tensor.numel(out))];
    int[] idx = new int[out.length];
    int src = 0;
    for (int o = 0; o < map.length; o++) {
      map[o] = src;
      for (int a = out.length - 1; a >= 0; a--) {
        src += st[a];
        if (++idx[a] < out[a]) {
          break;
        }
        src -= st[a] * out[a];
        idx[a] = 0;
      }
    }
    return map;
  }
}
