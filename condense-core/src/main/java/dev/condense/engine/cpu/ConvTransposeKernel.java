package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.graph.TransposedConvGeometry;
import java.util.Arrays;

/**
 * ConvTranspose (1-D and 2-D, grouped, strided, dilated, padded, output_padding) as GEMM +
 * col2im: the forward pass of a transposed convolution is the input gradient of the convolution
 * from its output back to its input ({@link TransposedConvGeometry#adjoint()}), and its input
 * gradient is that convolution's forward pass. Per image and group, with K = C_out/g·kh·kw and
 * P the input pixels: forward multiplies Wᵀ (K×C_in/g) by X (C_in/g×P) and folds the columns into
 * Y (col2im); backward unfolds dY (im2col), multiplies by W for dX and adds X·colᵀ into the
 * thread's own dW. Threads take contiguous shares of the batch; their dW parts are summed in a
 * fixed order.
 */
final class ConvTransposeKernel extends Kernel {
  private final Window2d win;
  private final int n;
  private final int cin;
  private final int cout;
  private final int group;
  private final int cig;
  private final int cog;
  private final int k;
  private final int p;
  private final int q;
  private float[][] col;
  private float[][] dwPart;

  ConvTransposeKernel(Node node, Buf[] in, Buf[] out, TransposedConvGeometry geometry) {
    super(node, in, out);
    win = Window2d.of(geometry.adjoint());
    n = in[0].dim(0);
    cin = in[0].dim(1);
    group = (int) node.intAttr("group", 1);
    cig = cin / group;
    cog = in[1].dim(1);
    cout = cog * group;
    k = cog * win.kernelSize();
    p = win.outPlane();
    q = win.inPlane();
  }

  private void allocate(int threads) {
    if (col == null || col.length != threads) {
      col = new float[threads][];
      dwPart = new float[threads][];
    }
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] w = in[1].data;
    float[] bias = in.length > 2 && in[2] != null ? in[2].data : null;
    float[] y = out[0].data;
    allocate(ctx.par.threads());
    ctx.par.forParts(n, (part, from, to) -> {
      float[] cb = Workspaces.ensure(col, part, k * p);
      for (int b = from; b < to; b++) {
        for (int j = 0; j < cout; j++) {
          Arrays.fill(y, (b * cout + j) * q, (b * cout + j + 1) * q, bias == null ? 0f : bias[j]);
        }
        for (int g = 0; g < group; g++) {
          ctx.blas.gemm(true, false, k, p, cig, 1f, w, g * cig * k, k, x, (b * cin + g * cig) * p, p, 0f, cb, 0, p);
          win.col2im(cb, 0, p, cog, y, (b * cout + g * cog) * q);
        }
      }
    });
  }

  @Override
  void backward(Ctx ctx) {
    float[] x = in[0].data;
    float[] w = in[1].data;
    float[] dy = out[0].grad;
    boolean wantX = wants(0);
    boolean wantW = wants(1);
    if (wants(2)) {
      PartSums.channelSums(dy, n, cout, q, in[2].grad, accumulate[2]);
    }
    if (!wantX && !wantW) {
      return;
    }
    float[] dx = wantX ? in[0].grad : null;
    float beta = accumulate[0] ? 1f : 0f;
    int threads = ctx.par.threads();
    allocate(threads);
    ctx.par.forParts(n, (part, from, to) -> {
      float[] cb = Workspaces.ensure(col, part, k * p);
      float[] dwp = wantW ? Workspaces.ensure(dwPart, part, cin * k) : null;
      if (wantW) {
        Arrays.fill(dwp, 0, cin * k, 0f);
      }
      for (int b = from; b < to; b++) {
        for (int g = 0; g < group; g++) {
          win.im2col(dy, (b * cout + g * cog) * q, cog, cb, 0, p);
          int xOff = (b * cin + g * cig) * p;
          if (wantX) {
            ctx.blas.gemm(false, false, cig, p, k, 1f, w, g * cig * k, k, cb, 0, p, beta, dx, xOff, p);
          }
          if (wantW) {
            ctx.blas.gemm(false, true, cig, k, p, 1f, x, xOff, p, cb, 0, p, 1f, dwp, g * cig * k, k);
          }
        }
      }
    });
    if (wantW) {
      PartSums.sumInto(dwPart, Math.min(threads, n), cin * k, in[1].grad, accumulate[1]);
    }
  }

  @Override
  public String toString() {
    return "ConvTranspose " + Arrays.toString(in[0].shape) + " -> " + Arrays.toString(out[0].shape);
  }
}
