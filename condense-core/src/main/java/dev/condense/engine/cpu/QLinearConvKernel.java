package dev.condense.engine.cpu;

import dev.condense.CondenseException;
import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.ops.LinearQuantization;

/**
 * QLinearConv on integers (ONNX QLinearConv-10; the arithmetic of ONNX Runtime's QLinearConv and
 * of the Conv it fuses from a QDQ group): each image is unfolded (im2col) with the input's zero
 * point subtracted, so padding is the real zero; each output is the int32 sum of the bias and the
 * products {@code (x − x_zp)·(w − w_zp)} of 8-bit operands; the sum is requantized in float32 as
 * ONNX Runtime does ({@code acc · (x_scale · w_scale[c] / y_scale)}, rounded half to even, plus
 * y_zp, saturated to the output type, as QuantizeLinear-13). Integers are held as floats in the
 * engine's buffers; the weight is converted once, at plan time. Inference only: no gradient flows.
 */
final class QLinearConvKernel extends Kernel {
  private final Window2d win;
  private final int n;
  private final int c;
  private final int m;
  private final int group;
  private final int cg;
  private final int mg;
  private final int k;
  private final int p;
  /** The weight less its zero point, [M, C/group · kernel]. */
  private final int[] w;
  private final int[] bias;
  /** Per output channel {@code x_scale · w_scale[c] / y_scale}. */
  private final float[] multiplier;
  private final int xZero;
  private final int yZero;
  private final int lo;
  private final int hi;
  private float[][] shifted;
  private float[][] colF;
  private int[][] col;
  private int[][] acc;

  QLinearConvKernel(Node node, Buf[] in, Buf[] out, ConvGeometry geometry) {
    super(node, in, out);
    win = Window2d.of(geometry);
    n = in[0].dim(0);
    c = in[0].dim(1);
    m = in[3].dim(0);
    group = (int) node.intAttr("group", 1);
    cg = c / group;
    mg = m / group;
    k = cg * win.kernelSize();
    p = win.outPlane();
    Tensor wt = constant(in, 3, "w");
    float[] ws = constant(in, 4, "w_scale").toFloats();
    long[] wz = constant(in, 5, "w_zero_point").toLongs();
    float xs = constant(in, 1, "x_scale").toFloats()[0];
    float ys = constant(in, 6, "y_scale").toFloats()[0];
    xZero = (int) constant(in, 2, "x_zero_point").toLongs()[0];
    yZero = (int) constant(in, 7, "y_zero_point").toLongs()[0];
    lo = LinearQuantization.min(out[0].dtype);
    hi = LinearQuantization.max(out[0].dtype);
    long[] wv = wt.toLongs();
    w = new int[wv.length];
    multiplier = new float[m];
    for (int j = 0; j < m; j++) {
      int s = ws.length == 1 ? 0 : j;
      multiplier[j] = xs * ws[s] / ys;
      if (!(multiplier[j] > 0) || Float.isInfinite(multiplier[j])) {
        throw error("the scales give output channel " + j + " the multiplier " + multiplier[j] + ", not a positive finite number");
      }
      for (int q = 0; q < k; q++) {
        w[j * k + q] = (int) (wv[j * k + q] - wz[s]);
      }
    }
    bias = new int[m];
    if (in.length > 8 && in[8] != null) {
      long[] b = constant(in, 8, "B").toLongs();
      for (int j = 0; j < m; j++) {
        bias[j] = (int) b[j];
      }
    }
  }

  private Tensor constant(Buf[] in, int slot, String what) {
    if (in[slot] == null || in[slot].constant == null) {
      throw new CondenseException("node " + node.label() + ": " + what + " must be a constant");
    }
    return in[slot].constant;
  }

  @Override
  boolean differentiable(int slot) {
    return false;
  }

  private void allocate(int threads) {
    if (col == null || col.length != threads) {
      shifted = new float[threads][];
      colF = new float[threads][];
      col = new int[threads][];
      acc = new int[threads][];
    }
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data != null ? in[0].data : in[0].constant.toFloats();
    float[] y = out[0].data;
    allocate(ctx.par.threads());
    int plane = win.inPlane();
    ctx.par.forParts(n, (part, from, to) -> {
      float[] sx = Workspaces.ensure(shifted, part, cg * plane);
      float[] cf = Workspaces.ensure(colF, part, k * p);
      if (col[part] == null || col[part].length < k * p) {
        col[part] = new int[k * p];
        acc[part] = new int[mg * p];
      }
      int[] ci = col[part];
      int[] a = acc[part];
      for (int b = from; b < to; b++) {
        for (int g = 0; g < group; g++) {
          int xOff = (b * c + g * cg) * plane;
          for (int i = 0; i < cg * plane; i++) {
            sx[i] = x[xOff + i] - xZero;
          }
          win.im2col(sx, 0, cg, cf, 0, p);
          for (int i = 0; i < k * p; i++) {
            ci[i] = (int) cf[i];
          }
          multiply(g, ci, a);
          requantize(g, a, y, (b * m + g * mg) * p);
        }
      }
    });
  }

  /** {@code a[j, q] = bias[j] + Σ_kk w[j, kk] · col[kk, q]} for the output channels of group {@code g}, in int32. */
  private void multiply(int g, int[] ci, int[] a) {
    for (int j = 0; j < mg; j++) {
      int oc = g * mg + j;
      int row = j * p;
      java.util.Arrays.fill(a, row, row + p, bias[oc]);
      int wOff = oc * k;
      for (int kk = 0; kk < k; kk++) {
        int wv = w[wOff + kk];
        if (wv == 0) {
          continue;
        }
        int cOff = kk * p;
        for (int q = 0; q < p; q++) {
          a[row + q] += wv * ci[cOff + q];
        }
      }
    }
  }

  private void requantize(int g, int[] a, float[] y, int yOff) {
    for (int j = 0; j < mg; j++) {
      float mult = multiplier[g * mg + j];
      int row = j * p;
      for (int q = 0; q < p; q++) {
        double v = Math.rint((float) a[row + q] * mult) + yZero;
        y[yOff + row + q] = (float) Math.max(lo, Math.min(hi, v));
      }
    }
  }

  @Override
  void backward(Ctx ctx) {
    // inference only (differentiable is false for every slot)
  }
}
