package dev.condense.engine.cpu;

import dev.condense.numeric.Blas;
import java.util.Arrays;

/**
 * The GEMMs of a pointwise convolution (1×1 window, stride 1, no padding) on NCHW arrays, with no
 * unfolding: image b's group g is the C/g×P matrix at {@code x[(b·C + g·C/g)·P]}, so
 * {@code Y_bg = W_g·X_bg}, {@code dW_g += dY_bg·X_bgᵀ} and {@code dX_bg = W_gᵀ·dY_bg}, each one
 * GEMM straight into the output arrays. Used by {@link ConvKernel} for the images of one thread.
 */
final class PointwiseConv {
  private final int c;
  private final int m;
  private final int group;
  private final int cg;
  private final int mg;
  private final int p;

  /** {@code c} input and {@code m} output channels in {@code group} groups over planes of {@code p} pixels. */
  PointwiseConv(int c, int m, int group, int p) {
    this.c = c;
    this.m = m;
    this.group = group;
    this.cg = c / group;
    this.mg = m / group;
    this.p = p;
  }

  /** {@code y = W·x + bias} for images [from, to). */
  void forward(Blas blas, float[] x, float[] w, float[] bias, float[] y, int from, int to) {
    for (int b = from; b < to; b++) {
      for (int g = 0; g < group; g++) {
        int yOff = (b * m + g * mg) * p;
        blas.gemm(false, false, mg, p, cg, 1f, w, g * mg * cg, cg, x, (b * c + g * cg) * p, p, 0f, y, yOff, p);
        if (bias != null) {
          for (int j = 0; j < mg; j++) {
            float bj = bias[g * mg + j];
            for (int q = yOff + j * p, e = q + p; q < e; q++) {
              y[q] += bj;
            }
          }
        }
      }
    }
  }

  /**
   * For images [from, to): {@code dx} (overwritten, or added to with {@code accX}) when not null,
   * and this thread's weight-gradient part {@code dwPart} (zeroed first) when not null.
   */
  void backward(Blas blas, float[] x, float[] w, float[] dy, float[] dx, boolean accX, float[] dwPart,
      int from, int to) {
    if (dwPart != null) {
      Arrays.fill(dwPart, 0, m * cg, 0f);
    }
    for (int b = from; b < to; b++) {
      for (int g = 0; g < group; g++) {
        int dyOff = (b * m + g * mg) * p;
        int xOff = (b * c + g * cg) * p;
        if (dwPart != null) {
          blas.gemm(false, true, mg, cg, p, 1f, dy, dyOff, p, x, xOff, p, 1f, dwPart, g * mg * cg, cg);
        }
        if (dx != null) {
          blas.gemm(true, false, cg, p, mg, 1f, w, g * mg * cg, cg, dy, dyOff, p, accX ? 1f : 0f, dx, xOff, p);
        }
      }
    }
  }
}
