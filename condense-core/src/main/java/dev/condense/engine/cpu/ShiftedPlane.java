package dev.condense.engine.cpu;

import java.util.Arrays;

/**
 * im2col and col2im for a window of stride 1 whose output rows are as wide as the input's
 * ({@code ow == w}: "same" padding along the row, 3×3 pad 1 being the common case). Then every
 * row of the column matrix is the input plane shifted by one constant, {@code (ki·dh − ph)·w +
 * kj·dw − pw}: one contiguous copy (or add) per kernel tap instead of one short loop per output
 * row, plus zeros for the taps that fall on the padding — the rows above and below the plane and,
 * in each row, the {@code lo} first and {@code ow − hi} last columns that the shift wraps around
 * from the neighbouring input row.
 */
final class ShiftedPlane {
  private ShiftedPlane() {}

  /** Whether {@code win} has this shape (stride 1 both ways, output as wide as the input). */
  static boolean applies(Window2d win) {
    return win.sh() == 1 && win.sw() == 1 && win.ow() == win.w();
  }

  /** The output rows [oyLo, oyHi) whose input row {@code oy − ph + ki·dh} lies in the plane. */
  private static int oyLo(Window2d win, int ki) {
    return Math.min(win.oh(), Math.max(0, win.ph() - ki * win.dh()));
  }

  private static int oyHi(Window2d win, int ki) {
    return Math.max(oyLo(win, ki), Math.min(win.oh(), win.h() + win.ph() - ki * win.dh()));
  }

  /** {@link Window2d#im2col} for this shape. */
  static void im2col(Window2d win, float[] x, int xOff, int channels, float[] col, int colOff, int colStride) {
    int ow = win.ow();
    int oh = win.oh();
    int w = win.w();
    int row = 0;
    for (int c = 0; c < channels; c++) {
      int plane = xOff + c * win.h() * w;
      for (int ki = 0; ki < win.kh(); ki++) {
        int y0 = oyLo(win, ki);
        int y1 = oyHi(win, ki);
        for (int kj = 0; kj < win.kw(); kj++, row++) {
          int dst = colOff + row * colStride;
          int lo = win.firstValid(kj);
          int hi = win.endValid(kj);
          if (y0 >= y1 || lo >= hi) {
            Arrays.fill(col, dst, dst + oh * ow, 0f);
            continue;
          }
          Arrays.fill(col, dst, dst + y0 * ow + lo, 0f);
          // From the first valid tap of row y0 to the last valid tap of row y1 − 1, in one copy;
          // the source stays inside the plane because lo and hi are the valid columns.
          int from = y0 * ow + lo;
          int to = (y1 - 1) * ow + hi;
          int shift = (ki * win.dh() - win.ph()) * w + kj * win.dw() - win.pw();
          System.arraycopy(x, plane + shift + from, col, dst + from, to - from);
          zeroWrapped(col, dst, ow, y0, y1, lo, hi);
          Arrays.fill(col, dst + to, dst + oh * ow, 0f);
        }
      }
    }
  }

  /**
   * {@link Window2d#col2im} for this shape: one contiguous add per kernel tap. The entries of
   * {@code col} that fall on the padding are zeroed first (they are discarded anyway), so that
   * the add can run over the wrapped columns too.
   */
  static void col2im(Window2d win, float[] col, int colOff, int colStride, int channels, float[] dx, int dxOff) {
    int ow = win.ow();
    int w = win.w();
    int row = 0;
    for (int c = 0; c < channels; c++) {
      int plane = dxOff + c * win.h() * w;
      for (int ki = 0; ki < win.kh(); ki++) {
        int y0 = oyLo(win, ki);
        int y1 = oyHi(win, ki);
        for (int kj = 0; kj < win.kw(); kj++, row++) {
          int src = colOff + row * colStride;
          int lo = win.firstValid(kj);
          int hi = win.endValid(kj);
          if (y0 >= y1 || lo >= hi) {
            continue;
          }
          int from = y0 * ow + lo;
          int to = (y1 - 1) * ow + hi;
          zeroWrapped(col, src, ow, y0, y1, lo, hi);
          int d = plane + (ki * win.dh() - win.ph()) * w + kj * win.dw() - win.pw();
          for (int i = from; i < to; i++) {
            dx[d + i] += col[src + i];
          }
        }
      }
    }
  }

  /**
   * Zeroes, in column-matrix row {@code r0}, the entries in [y0·ow + lo, (y1−1)·ow + hi) whose
   * input column lies outside the plane: the first {@code lo} and last {@code ow − hi} of each
   * output row, which the one shifted copy took from the neighbouring input row.
   */
  private static void zeroWrapped(float[] col, int r0, int ow, int y0, int y1, int lo, int hi) {
    for (int oy = y0; oy < y1; oy++) {
      int r = r0 + oy * ow;
      if (oy > y0) {
        for (int ox = 0; ox < lo; ox++) {
          col[r + ox] = 0f;
        }
      }
      if (oy < y1 - 1) {
        for (int ox = hi; ox < ow; ox++) {
          col[r + ox] = 0f;
        }
      }
    }
  }
}
