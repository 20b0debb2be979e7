package dev.condense.engine.cpu;

import dev.condense.numeric.Blas;

/**
 * The input gradient of a stride-1 convolution whose output rows are as wide as its input's,
 * computed as a convolution of dY rather than as Wᵀ·dY folded back by col2im: with the kernel
 * flipped and its two channel axes swapped, {@code dX_c = Σ_m W[m,c] ⋆ dY_m} is a stride-1
 * convolution of dY with padding {@code d·(k−1) − p} at each end (the adjoint of a correlation;
 * Dumoulin and Visin, "A guide to convolution arithmetic", §4.1), so dY is unfolded by the fast
 * {@link ShiftedPlane} im2col and one GEMM per image and group writes dX in place. The GEMM has
 * the forward pass's shape ({@code C/g × H·W × M/g·kh·kw}), and no column matrix is written by
 * the GEMM and read back by col2im.
 */
final class AdjointConv {
  private final Window2d adjoint;
  private final int c;
  private final int m;
  private final int group;
  private final int cg;
  private final int mg;
  private final int taps;
  /** The flipped, channel-swapped weights: per group a C/g × (M/g·kh·kw) matrix. */
  private final float[] flipped;

  private AdjointConv(Window2d adjoint, int c, int m, int group) {
    this.adjoint = adjoint;
    this.c = c;
    this.m = m;
    this.group = group;
    this.cg = c / group;
    this.mg = m / group;
    this.taps = adjoint.kernelSize();
    this.flipped = new float[c * mg * taps];
  }

  /**
   * Fewest input pixels per plane for which this pays: its GEMMs run one image at a time with
   * N = H·W, which for small planes (VGG's 3×3 and 1×1 ends, resnet-20's 7×7) is a thin, slow
   * product, where Wᵀ·dY over a chunk of images stays wide (measured: 28×28 and 14×14 planes
   * faster this way, 7×7 no faster, VGG-16/4's backward slower with it on its small planes).
   */
  static final int MIN_PLANE = 100;

  /** The adjoint of {@code win} for {@code c} input and {@code m} output channels, or null when it does not apply. */
  static AdjointConv of(Window2d win, int c, int m, int group) {
    if (!ShiftedPlane.applies(win) || win.inPlane() < MIN_PLANE) {
      return null;
    }
    int ph = win.dh() * (win.kh() - 1) - win.ph();
    int qh = win.dh() * (win.kh() - 1) - win.qh();
    int pw = win.dw() * (win.kw() - 1) - win.pw();
    int qw = win.dw() * (win.kw() - 1) - win.qw();
    if (ph < 0 || qh < 0 || pw < 0 || qw < 0) {
      return null;
    }
    Window2d adj = new Window2d(win.oh(), win.ow(), win.h(), win.w(), win.kh(), win.kw(), 1, 1,
        win.dh(), win.dw(), ph, pw, qh, qw);
    return new AdjointConv(adj, c, m, group);
  }

  /** Rows of the unfolded dY of one image and group ({@code M/g·kh·kw}) times its columns (H·W). */
  int columnFloats() {
    return mg * taps * adjoint.outPlane();
  }

  /** Flips the kernel of {@code w} (M × C/g × kh × kw) into this object's weights; once per backward pass. */
  void prepare(float[] w) {
    int kh = adjoint.kh();
    int kw = adjoint.kw();
    for (int g = 0; g < group; g++) {
      for (int j = 0; j < mg; j++) {
        for (int ci = 0; ci < cg; ci++) {
          int src = ((g * mg + j) * cg + ci) * taps;
          int dst = (g * cg + ci) * mg * taps + j * taps;
          for (int ki = 0; ki < kh; ki++) {
            for (int kj = 0; kj < kw; kj++) {
              flipped[dst + (kh - 1 - ki) * kw + (kw - 1 - kj)] = w[src + ki * kw + kj];
            }
          }
        }
      }
    }
  }

  /** dX of images [from, to), overwritten or (with {@code acc}) added to; {@code col} holds {@link #columnFloats()}. */
  void inputGradient(Blas blas, float[] dy, float[] dx, boolean acc, float[] col, int from, int to) {
    int in = adjoint.inPlane();
    int out = adjoint.outPlane();
    int kk = mg * taps;
    for (int b = from; b < to; b++) {
      for (int g = 0; g < group; g++) {
        adjoint.im2col(dy, (b * m + g * mg) * in, mg, col, 0, out);
        blas.gemm(false, false, cg, out, kk, 1f, flipped, g * cg * kk, kk, col, 0, out, acc ? 1f : 0f,
            dx, (b * c + g * cg) * out, out);
      }
    }
  }
}
