package dev.condense.engine.cpu;

import dev.condense.graph.Broadcast;

/**
 * How a smaller tensor maps onto a broadcast output shape: expand it forward (every output
 * element reads its source element) and reduce gradients backward (every source element
 * receives the sum over the outputs that read it). Recognises the common layouts — same shape,
 * scalar, and a per-row vector such as a bias — and falls back to stride walking otherwise.
 */
final class BroadcastMap {
  private final int outSize;
  private final int srcSize;
  private final int[] outShape;
  private final int[] strides;
  /** Same shape: source index = output index. */
  private final boolean identity;
  /** Output = outer × srcSize × inner with the source varying along the middle axis. */
  private final int outer;
  private final int inner;
  private final boolean middle;

  BroadcastMap(int[] srcShape, int[] outShape) {
    this.outShape = outShape.clone();
    this.strides = Broadcast.strides(srcShape, outShape);
    long o = 1;
    for (int d : outShape) {
      o *= d;
    }
    this.outSize = (int) o;
    long s = 1;
    for (int d : srcShape) {
      s *= d;
    }
    this.srcSize = (int) s;
    this.identity = srcSize == outSize;
    // Find a single contiguous run of source axes inside the output: [outer][src][inner].
    int r = outShape.length;
    int first = -1;
    int last = -1;
    for (int i = 0; i < r; i++) {
      if (strides[i] != 0 && outShape[i] != 1) {
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    boolean contiguous = first >= 0;
    long midSize = 1;
    for (int i = Math.max(first, 0); contiguous && i <= last; i++) {
      if (strides[i] == 0 && outShape[i] != 1) {
        contiguous = false;
      }
      midSize *= outShape[i];
    }
    if (srcSize == 1) {
      outer = outSize;
      inner = 1;
      middle = true;
    } else if (contiguous && midSize == srcSize) {
      long out = 1;
      for (int i = 0; i < first; i++) {
        out *= outShape[i];
      }
      long in = 1;
      for (int i = last + 1; i < r; i++) {
        in *= outShape[i];
      }
      outer = (int) out;
      inner = (int) in;
      middle = true;
    } else {
      outer = 0;
      inner = 0;
      middle = false;
    }
  }

  /** Source index of every output element, in output order (the general fallback). */
  private void walk(java.util.function.IntBinaryOperator visit) {
    int r = outShape.length;
    int[] idx = new int[r];
    int src = 0;
    for (int o = 0; o < outSize; o++) {
      visit.applyAsInt(o, src);
      for (int a = r - 1; a >= 0; a--) {
        idx[a]++;
        src += strides[a];
        if (idx[a] < outShape[a]) {
          break;
        }
        src -= strides[a] * outShape[a];
        idx[a] = 0;
      }
    }
  }

  /** The source element each output element reads. */
  int[] sourceIndex() {
    int[] map = new int[outSize];
    walk((o, s) -> map[o] = s);
    return map;
  }

  /** {@code out[o] = scale · src[map(o)]}. */
  void expand(float[] src, float scale, float[] out) {
    if (identity) {
      for (int i = 0; i < outSize; i++) {
        out[i] = scale * src[i];
      }
    } else if (middle && srcSize == 1) {
      java.util.Arrays.fill(out, 0, outSize, scale * src[0]);
    } else if (middle) {
      int o = 0;
      for (int a = 0; a < outer; a++) {
        for (int j = 0; j < srcSize; j++) {
          float v = scale * src[j];
          for (int t = 0; t < inner; t++) {
            out[o++] = v;
          }
        }
      }
    } else {
      walk((o, s) -> {
        out[o] = scale * src[s];
        return 0;
      });
    }
  }

  /** {@code dst[s] += scale · Σ_{o: map(o)=s} g[o]} (dst must be cleared by the caller if needed). */
  void reduce(float[] g, float scale, float[] dst) {
    if (identity) {
      for (int i = 0; i < outSize; i++) {
        dst[i] += scale * g[i];
      }
    } else if (middle && srcSize == 1) {
      double sum = 0;
      for (int i = 0; i < outSize; i++) {
        sum += g[i];
      }
      dst[0] += (float) (scale * sum);
    } else if (middle) {
      double[] acc = new double[srcSize];
      int o = 0;
      for (int a = 0; a < outer; a++) {
        for (int j = 0; j < srcSize; j++) {
          double sum = 0;
          for (int t = 0; t < inner; t++) {
            sum += g[o++];
          }
          acc[j] += sum;
        }
      }
      for (int j = 0; j < srcSize; j++) {
        dst[j] += (float) (scale * acc[j]);
      }
    } else {
      walk((o, s) -> {
        dst[s] += scale * g[o];
        return 0;
      });
    }
  }
}
