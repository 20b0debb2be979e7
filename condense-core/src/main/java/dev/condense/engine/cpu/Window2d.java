package dev.condense.engine.cpu;

import dev.condense.graph.ConvGeometry;

/**
 * A sliding window over a 2-D plane: {@link ConvGeometry} seen in two dimensions, with 1-D
 * windows as planes of height 1. {@code ph, pw} pad the start of each axis, {@code qh, qw} the end. Holds im2col/col2im, which Conv's forward and backward passes
 * share.
 */
record Window2d(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int dh, int dw,
    int ph, int pw, int qh, int qw) {

  static Window2d of(ConvGeometry g) {
    if (g.rank() == 1) {
      return new Window2d(1, g.in()[0], 1, g.out()[0], 1, g.kernel()[0], 1, g.strides()[0], 1,
          g.dilations()[0], 0, g.padBegin()[0], 0, g.padEnd()[0]);
    }
    if (g.rank() != 2) {
      throw new IllegalArgumentException("only 1-D and 2-D windows are supported");
    }
    return new Window2d(g.in()[0], g.in()[1], g.out()[0], g.out()[1], g.kernel()[0], g.kernel()[1],
        g.strides()[0], g.strides()[1], g.dilations()[0], g.dilations()[1], g.padBegin()[0],
        g.padBegin()[1], g.padEnd()[0], g.padEnd()[1]);
  }

  int inPlane() {
    return h * w;
  }

  int outPlane() {
    return oh * ow;
  }

  int kernelSize() {
    return kh * kw;
  }

  /** Whether unfolding is the identity: a 1×1 window, stride 1, no padding (the plane is its own column matrix). */
  boolean isPointwise() {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && qh == 0 && qw == 0;
  }

  /** First output column whose input column {@code ox*sw - pw + kj*dw} is ≥ 0. */
  int firstValid(int kj) {
    int off = kj * dw - pw;
    return off >= 0 ? 0 : Math.min(ow, (-off + sw - 1) / sw);
  }

  /** One past the last output column whose input column is < w. */
  int endValid(int kj) {
    int off = kj * dw - pw;
    if (off >= w) {
      return 0;
    }
    return Math.max(0, Math.min(ow, (w - 1 - off) / sw + 1));
  }

  /**
   * Unfolds {@code channels} planes of {@code x} (from {@code xOff}) into {@code col}: row
   * {@code (c·kh + ki)·kw + kj}, column {@code oy·ow + ox}, rows {@code colStride} apart.
   */
  void im2col(float[] x, int xOff, int channels, float[] col, int colOff, int colStride) {
    if (ShiftedPlane.applies(this)) {
      ShiftedPlane.im2col(this, x, xOff, channels, col, colOff, colStride);
      return;
    }
    int row = 0;
    for (int c = 0; c < channels; c++) {
      int plane = xOff + c * h * w;
      for (int ki = 0; ki < kh; ki++) {
        for (int kj = 0; kj < kw; kj++, row++) {
          int dst = colOff + row * colStride;
          int lo = firstValid(kj);
          int hi = endValid(kj);
          int colShift = kj * dw - pw;
          for (int oy = 0; oy < oh; oy++, dst += ow) {
            int iy = oy * sh - ph + ki * dh;
            if (iy < 0 || iy >= h || lo >= hi) {
              for (int ox = 0; ox < ow; ox++) {
                col[dst + ox] = 0f;
              }
              continue;
            }
            int src = plane + iy * w + colShift;
            // Plain loops, not arraycopy/fill: rows are short (8 to 32 floats) and the call
            // overhead of a million tiny copies per batch dominated the time.
            for (int ox = 0; ox < lo; ox++) {
              col[dst + ox] = 0f;
            }
            if (sw == 1) {
              for (int ox = lo; ox < hi; ox++) {
                col[dst + ox] = x[src + ox];
              }
            } else {
              for (int ox = lo; ox < hi; ox++) {
                col[dst + ox] = x[src + ox * sw];
              }
            }
            for (int ox = hi; ox < ow; ox++) {
              col[dst + ox] = 0f;
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col}: adds the columns back into the planes of {@code dx}. May zero
   * the entries of {@code col} that fall on the padding (a scratch buffer; see {@link ShiftedPlane}).
   */
  void col2im(float[] col, int colOff, int colStride, int channels, float[] dx, int dxOff) {
    if (ShiftedPlane.applies(this)) {
      ShiftedPlane.col2im(this, col, colOff, colStride, channels, dx, dxOff);
      return;
    }
    int row = 0;
    for (int c = 0; c < channels; c++) {
      int plane = dxOff + c * h * w;
      for (int ki = 0; ki < kh; ki++) {
        for (int kj = 0; kj < kw; kj++, row++) {
          int src = colOff + row * colStride;
          int lo = firstValid(kj);
          int hi = endValid(kj);
          int colShift = kj * dw - pw;
          for (int oy = 0; oy < oh; oy++, src += ow) {
            int iy = oy * sh - ph + ki * dh;
            if (iy < 0 || iy >= h) {
              continue;
            }
            int dst = plane + iy * w + colShift;
            if (sw == 1) {
              for (int ox = lo; ox < hi; ox++) {
                dx[dst + ox] += col[src + ox];
              }
            } else {
              for (int ox = lo; ox < hi; ox++) {
                dx[dst + ox * sw] += col[src + ox];
              }
            }
          }
        }
      }
    }
  }
}
