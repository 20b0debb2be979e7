package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.BinaryMath;

/**
 * Add, Sub, Mul, Div, Pow, PRelu and Mod with NumPy broadcasting (residual adds, biases, scales,
 * x², learned slopes, window arithmetic). A constant exponent of Pow gets no gradient: it is not a parameter.
 */
final class BinaryKernel extends Kernel {
  private final BinaryMath op;
  private final int size;
  private final BroadcastMap mapA;
  private final BroadcastMap mapB;
  /** Source index per output element, or null where the input has the output's shape. */
  private final int[] ia;
  private final int[] ib;
  private float[] tmp;

  BinaryKernel(Node node, Buf[] in, Buf[] out, BinaryMath op) {
    super(node, in, out);
    this.op = op;
    size = out[0].size;
    mapA = new BroadcastMap(in[0].shape, out[0].shape);
    mapB = new BroadcastMap(in[1].shape, out[0].shape);
    ia = in[0].size == size ? null : mapA.sourceIndex();
    ib = in[1].size == size ? null : mapB.sourceIndex();
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0 || op != BinaryMath.POW || in[1].constant == null;
  }

  @Override
  void forward(Ctx ctx) {
    float[] a = in[0].data;
    float[] b = in[1].data;
    float[] y = out[0].data;
    ctx.par.forRange(size, 1, (from, to) -> {
      for (int o = from; o < to; o++) {
        float x1 = a[ia == null ? o : ia[o]];
        float x2 = b[ib == null ? o : ib[o]];
        y[o] = switch (op) {
          case ADD -> x1 + x2;
          case SUB -> x1 - x2;
          case MUL -> x1 * x2;
          case DIV -> x1 / x2;
          case POW -> (float) Math.pow(x1, x2);
          case PRELU -> x1 > 0 ? x1 : x2 * x1;
          case FMOD -> x1 % x2;
        };
      }
    });
  }

  @Override
  void backward(Ctx ctx) {
    float[] dy = out[0].grad;
    for (int slot = 0; slot < 2; slot++) {
      if (!wants(slot)) {
        continue;
      }
      float[] g = localGrad(slot, dy);
      BroadcastMap map = slot == 0 ? mapA : mapB;
      if ((slot == 0 ? ia : ib) == null) {
        float[] dst = in[slot].grad;
        boolean acc = accumulate[slot];
        for (int o = 0; o < size; o++) {
          dst[o] = acc ? dst[o] + g[o] : g[o];
        }
      } else {
        clearGradIfFirst(slot);
        map.reduce(g, 1f, in[slot].grad);
      }
    }
  }

  /** dY times ∂y/∂input, element by element in output order. */
  private float[] localGrad(int slot, float[] dy) {
    if (op == BinaryMath.ADD || (op == BinaryMath.SUB && slot == 0)) {
      return dy;
    }
    if (tmp == null) {
      tmp = new float[size];
    }
    float[] a = in[0].data;
    float[] b = in[1].data;
    for (int o = 0; o < size; o++) {
      float x1 = a[ia == null ? o : ia[o]];
      float x2 = b[ib == null ? o : ib[o]];
      tmp[o] = switch (op) {
        case SUB -> -dy[o];
        case MUL -> dy[o] * (slot == 0 ? x2 : x1);
        case DIV -> slot == 0 ? dy[o] / x2 : -dy[o] * x1 / (x2 * x2);
        case POW -> slot == 0 ? powBase(x1, x2, dy[o]) : powExponent(x1, x2, dy[o]);
        case PRELU -> slot == 0 ? (x1 > 0 ? dy[o] : x2 * dy[o]) : (x1 > 0 ? 0 : x1 * dy[o]);
        case ADD -> dy[o];
        case FMOD -> slot == 0 ? dy[o] : -dy[o] * (float) truncate(x1 / x2);
      };
    }
    return tmp;
  }

  /** v rounded toward zero. */
  private static double truncate(double v) {
    return v < 0 ? Math.ceil(v) : Math.floor(v);
  }

  /** dy · b · a^(b−1), and 0 for b = 0 (PyTorch's convention, so a⁰ = 1 has no gradient at a = 0). */
  private static float powBase(float a, float b, float dy) {
    return b == 0 ? 0 : (float) (dy * b * Math.pow(a, b - 1));
  }

  /** dy · a^b · ln a, and 0 where a = 0 and b ≥ 0 (PyTorch's convention). */
  private static float powExponent(float a, float b, float dy) {
    return a == 0 && b >= 0 ? 0 : (float) (dy * Math.pow(a, b) * Math.log(a));
  }
}
