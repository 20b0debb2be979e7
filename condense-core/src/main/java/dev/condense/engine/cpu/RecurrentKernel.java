package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.RecurrentCell;
import dev.condense.ops.RecurrentSpec;
import java.util.Arrays;

/**
 * What the engine's LSTM, GRU and RNN kernels share (ONNX Operators.md, LSTM-14): the sequence
 * is held time-major inside ({@code [T·B, ...]} rows), the input projection X·Wᵀ + Wb of every
 * time step of a direction is one GEMM, each step adds the recurrent product H·Rᵀ (one GEMM per
 * step) and the cell's gates, and backward runs through time in reverse, after which the
 * gradients of X, W and R are again one GEMM each per direction. A subclass is the cell: its step
 * forward and back.
 */
abstract class RecurrentKernel extends Kernel {
  static final int X = 0;
  static final int W = 1;
  static final int R = 2;
  static final int BIAS = 3;
  static final int LENS = 4;
  static final int H0 = 5;

  final RecurrentSpec spec;
  final int steps;
  final int batch;
  final int inputs;
  final int hidden;
  /** Rows of W and R per direction (gates · H). */
  final int gateRows;
  /** Rows of all time steps, T·B. */
  final int rows;
  /** Per direction, [T·B, G]: X·Wᵀ + Wb. */
  final float[][] xw;
  /** Per direction, [T·B, H]: the hidden state entering time t. */
  final float[][] hPrev;
  /** Per direction, [T·B, H]: the hidden state after time t. */
  final float[][] hOut;
  /** Per direction, [T·B, G]: the gates after their activations. */
  final float[][] act;
  /** Per direction, [G]: Rb, the recurrent bias (zeros without B). */
  final float[][] recBias;
  /** [B, G]: the recurrent product of the current step. */
  final float[] rec;
  /** Per direction, [T·B, G]: the loss's gradient by the gates before their activations. */
  float[][] dA;
  private final float[] xt;
  private float[] dxt;
  private float[] dh;
  private float[] dhPrev;

  RecurrentKernel(Node node, Buf[] in, Buf[] out, RecurrentCell cell) {
    super(node, in, out);
    spec = RecurrentSpec.of(node, cell, in[X].shape, in[W].shape, in[R].shape);
    steps = spec.steps();
    batch = spec.batch();
    inputs = spec.inputSize();
    hidden = spec.hidden();
    gateRows = spec.gateRows();
    rows = steps * batch;
    int d = spec.directions();
    xw = new float[d][rows * gateRows];
    hPrev = new float[d][rows * hidden];
    hOut = new float[d][rows * hidden];
    act = new float[d][rows * gateRows];
    recBias = new float[d][gateRows];
    rec = new float[batch * gateRows];
    xt = spec.batchFirst() ? new float[rows * inputs] : null;
  }

  /** One step at time {@code t} of direction {@code d}; {@code prevT} is the time processed before, -1 at the start. */
  abstract void step(Ctx ctx, int d, int t, int prevT);

  /**
   * The step back at time {@code t}: from {@code dh}, the gradient by the hidden state after it,
   * writes the rows of {@link #dA} at {@code t} and {@code dhPrev}, the gradient by the state before.
   */
  abstract void stepBack(Ctx ctx, int d, int t, float[] dh, float[] dhPrev);

  /** After the forward steps of direction {@code d}: outputs beyond Y and Y_h (LSTM's Y_c). */
  void finish(int d) {}

  /** Before the backward steps of direction {@code d}. */
  void beginBackward(int d) {}

  /** After the backward steps of direction {@code d}: gradients of the cell's own inputs. */
  void endBackward(int d) {}

  /** The gradient by the recurrent product H·Rᵀ + Rb (rows of T·B, G columns): {@link #dA} unless the cell differs. */
  float[] recurrentGradient(int d) {
    return dA[d];
  }

  /** dR of direction {@code d}: the recurrent gradient times the states that entered each step. */
  void recurrentWeightGrad(Ctx ctx, int d, float beta) {
    ctx.blas.gemm(ctx.par, true, false, gateRows, hidden, rows, 1f, recurrentGradient(d), 0, gateRows,
        hPrev[d], 0, hidden, beta, in[R].grad, d * gateRows * hidden, hidden);
  }

  /** The input buffer of {@code slot}, or null where the node leaves it out. */
  final Buf input(int slot) {
    return slot < in.length ? in[slot] : null;
  }

  /** The gradient by output {@code slot}, or null where the output is absent or gets none. */
  final float[] outputGrad(int slot) {
    return slot < out.length && out[slot] != null ? out[slot].grad : null;
  }

  /** c[B, n] (row stride G, from {@code cOff}) = h[B, H] · (rows first.. of R_d)ᵀ. */
  final void recur(Ctx ctx, int d, float[] h, int hOff, int first, int n, float[] c, int cOff) {
    ctx.blas.gemm(ctx.par, false, true, batch, n, hidden, 1f, h, hOff, hidden, in[R].data,
        (d * gateRows + first) * hidden, hidden, 0f, c, cOff, gateRows);
  }

  /** dst[B, n] (row stride H) += g[B, n] (rows of {@link #dA}-like {@code g} at time t, from column {@code first}) · R_d's rows. */
  final void backThroughR(Ctx ctx, int d, float[] g, int t, int first, int n, float beta, float[] dst) {
    ctx.blas.gemm(ctx.par, false, false, batch, hidden, n, 1f, g, t * batch * gateRows + first, gateRows,
        in[R].data, (d * gateRows + first) * hidden, hidden, beta, dst, 0, hidden);
  }

  /** Copies the initial state of input {@code slot} for direction {@code d} to {@code dst[off..]}, or zeros. */
  final void loadState(int slot, int d, float[] dst, int off) {
    Buf s = input(slot);
    for (int b = 0; b < batch; b++) {
      if (s == null) {
        Arrays.fill(dst, off + b * hidden, off + (b + 1) * hidden, 0f);
      } else {
        System.arraycopy(s.data, spec.stateOffset(d, b), dst, off + b * hidden, hidden);
      }
    }
  }

  /** Writes the states of the last time step of {@code d} from {@code src} ([T·B, H]) to output {@code slot}. */
  final void storeLast(int slot, int d, float[] src) {
    if (slot < out.length && out[slot] != null) {
      int last = time(d, steps - 1);
      for (int b = 0; b < batch; b++) {
        System.arraycopy(src, (last * batch + b) * hidden, out[slot].data, spec.stateOffset(d, b), hidden);
      }
    }
  }

  /** Puts {@code g} ([B, H]) as the gradient of state input {@code slot}, direction {@code d}. */
  final void putStateGrad(int slot, int d, float[] g) {
    if (wants(slot)) {
      for (int b = 0; b < batch; b++) {
        int o = spec.stateOffset(d, b);
        for (int j = 0; j < hidden; j++) {
          putGrad(slot, o + j, g[b * hidden + j]);
        }
      }
    }
  }

  /** The time of the {@code s}-th step of direction {@code d}. */
  final int time(int d, int s) {
    return spec.reversed(d) ? steps - 1 - s : s;
  }

  static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }

  static float tanh(float x) {
    return (float) Math.tanh(x);
  }

  @Override
  boolean differentiable(int slot) {
    return slot != LENS;
  }

  @Override
  boolean gradientFrom(int slot) {
    return true;
  }

  @Override
  final void forward(Ctx ctx) {
    checkLengths();
    float[] x = timeMajor();
    for (int d = 0; d < spec.directions(); d++) {
      project(ctx, x, d);
      for (int s = 0; s < steps; s++) {
        int t = time(d, s);
        int prevT = s == 0 ? -1 : time(d, s - 1);
        if (prevT < 0) {
          loadState(H0, d, hPrev[d], t * batch * hidden);
        } else {
          System.arraycopy(hOut[d], prevT * batch * hidden, hPrev[d], t * batch * hidden, batch * hidden);
        }
        step(ctx, d, t, prevT);
      }
      if (out[0] != null) {
        for (int t = 0; t < steps; t++) {
          for (int b = 0; b < batch; b++) {
            System.arraycopy(hOut[d], (t * batch + b) * hidden, out[0].data, spec.outputOffset(t, d, b), hidden);
          }
        }
      }
      storeLast(1, d, hOut[d]);
      finish(d);
    }
  }

  /** A run-time sequence_lens must give every sequence the full length (a constant one was checked at load). */
  private void checkLengths() {
    Buf lens = input(LENS);
    if (lens != null && lens.constant == null) {
      for (float l : lens.data) {
        if (l != steps) {
          throw spec.shorterSequence(node, (long) l);
        }
      }
    }
  }

  /** X as [T·B, I]: the input itself, or a time-major copy of a batch-first one. */
  private float[] timeMajor() {
    float[] x = in[X].data;
    if (xt == null) {
      return x;
    }
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(x, (b * steps + t) * inputs, xt, (t * batch + b) * inputs, inputs);
      }
    }
    return xt;
  }

  /** xw_d = X·W_dᵀ + Wb_d for all time steps at once; the recurrent bias Rb_d kept aside. */
  private void project(Ctx ctx, float[] x, int d) {
    Buf bias = input(BIAS);
    float beta = 0f;
    if (bias != null) {
      int off = d * 2 * gateRows;
      for (int row = 0; row < rows; row++) {
        System.arraycopy(bias.data, off, xw[d], row * gateRows, gateRows);
      }
      System.arraycopy(bias.data, off + gateRows, recBias[d], 0, gateRows);
      beta = 1f;
    }
    ctx.blas.gemm(ctx.par, false, true, rows, gateRows, inputs, 1f, x, 0, inputs, in[W].data, d * gateRows * inputs,
        inputs, beta, xw[d], 0, gateRows);
  }

  @Override
  final void backward(Ctx ctx) {
    if (dA == null) {
      dA = new float[spec.directions()][rows * gateRows];
      dh = new float[batch * hidden];
      dhPrev = new float[batch * hidden];
      dxt = xt == null ? null : new float[rows * inputs];
    }
    float[] dY = outputGrad(0);
    float[] dYh = outputGrad(1);
    for (int d = 0; d < spec.directions(); d++) {
      for (int b = 0; b < batch; b++) {
        if (dYh == null) {
          Arrays.fill(dh, b * hidden, (b + 1) * hidden, 0f);
        } else {
          System.arraycopy(dYh, spec.stateOffset(d, b), dh, b * hidden, hidden);
        }
      }
      beginBackward(d);
      for (int s = steps - 1; s >= 0; s--) {
        int t = time(d, s);
        if (dY != null) {
          for (int b = 0; b < batch; b++) {
            int o = spec.outputOffset(t, d, b);
            for (int j = 0; j < hidden; j++) {
              dh[b * hidden + j] += dY[o + j];
            }
          }
        }
        stepBack(ctx, d, t, dh, dhPrev);
        float[] swap = dh;
        dh = dhPrev;
        dhPrev = swap;
      }
      putStateGrad(H0, d, dh);
      endBackward(d);
    }
    parameterGrads(ctx);
  }

  /** dX, dW, dR and dB from {@link #dA}: one GEMM each per direction. */
  private void parameterGrads(Ctx ctx) {
    float[] x = xt == null ? in[X].data : xt;
    for (int d = 0; d < spec.directions(); d++) {
      if (wants(X)) {
        float[] target = xt == null ? in[X].grad : dxt;
        float beta = d > 0 || xt == null && accumulate[X] ? 1f : 0f;
        ctx.blas.gemm(ctx.par, false, false, rows, inputs, gateRows, 1f, dA[d], 0, gateRows, in[W].data,
            d * gateRows * inputs, inputs, beta, target, 0, inputs);
      }
      if (wants(W)) {
        ctx.blas.gemm(ctx.par, true, false, gateRows, inputs, rows, 1f, dA[d], 0, gateRows, x, 0, inputs,
            accumulate[W] ? 1f : 0f, in[W].grad, d * gateRows * inputs, inputs);
      }
      if (wants(R)) {
        recurrentWeightGrad(ctx, d, accumulate[R] ? 1f : 0f);
      }
      if (wants(BIAS)) {
        biasGrad(d);
      }
    }
    if (wants(X) && xt != null) {
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          for (int i = 0; i < inputs; i++) {
            putGrad(X, (b * steps + t) * inputs + i, dxt[(t * batch + b) * inputs + i]);
          }
        }
      }
    }
  }

  /** dWb and dRb: the column sums of the input-side and the recurrent gradients. */
  private void biasGrad(int d) {
    float[] g = dA[d];
    float[] gr = recurrentGradient(d);
    int off = d * 2 * gateRows;
    for (int j = 0; j < gateRows; j++) {
      float sw = 0f;
      float sr = 0f;
      for (int row = 0; row < rows; row++) {
        sw += g[row * gateRows + j];
        sr += gr[row * gateRows + j];
      }
      putGrad(BIAS, off + j, sw);
      putGrad(BIAS, off + gateRows + j, sr);
    }
  }
}
