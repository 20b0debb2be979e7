package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.Activation;

/**
 * Element-wise activations: Relu, LeakyRelu, Sigmoid, Tanh and Clip. Relu and LeakyRelu select
 * without branches ({@link Bits}).
 */
final class UnaryKernel extends Kernel {
  private final Activation op;
  private final float alpha;
  private float lo = Float.NEGATIVE_INFINITY;
  private float hi = Float.POSITIVE_INFINITY;

  UnaryKernel(Node node, Buf[] in, Buf[] out, Activation op) {
    super(node, in, out);
    this.op = op;
    alpha = node.floatAttr("alpha", 0.01f);
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {
    if (op == Activation.CLIP) {
      lo = in.length > 1 && in[1] != null ? in[1].data[0] : Float.NEGATIVE_INFINITY;
      hi = in.length > 2 && in[2] != null ? in[2].data[0] : Float.POSITIVE_INFINITY;
    }
    float[] x = in[0].data;
    float[] y = out[0].data;
    ctx.par.forRange(x.length == 0 ? 0 : out[0].size, 4, (from, to) -> {
      switch (op) {
        case RELU -> {
          for (int i = from; i < to; i++) {
            y[i] = Bits.keep(~Bits.negative(x[i]), x[i]);
          }
        }
        case LEAKY_RELU -> {
          for (int i = from; i < to; i++) {
            y[i] = Bits.select(Bits.negative(x[i]), alpha * x[i], x[i]);
          }
        }
        case SIGMOID -> {
          for (int i = from; i < to; i++) {
            y[i] = (float) (1 / (1 + Math.exp(-x[i])));
          }
        }
        case TANH -> {
          for (int i = from; i < to; i++) {
            y[i] = (float) Math.tanh(x[i]);
          }
        }
        case CLIP -> {
          for (int i = from; i < to; i++) {
            y[i] = Math.min(hi, Math.max(lo, x[i]));
          }
        }
      }
    });
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    float[] x = in[0].data;
    float[] y = out[0].data;
    float[] dy = out[0].grad;
    float[] dx = in[0].grad;
    boolean acc = accumulate[0];
    ctx.par.forRange(out[0].size, 2, (from, to) -> {
      switch (op) {
        case RELU -> {
          for (int i = from; i < to; i++) {
            float g = Bits.keep(Bits.positive(x[i]), dy[i]);
            dx[i] = acc ? dx[i] + g : g;
          }
        }
        case LEAKY_RELU -> {
          for (int i = from; i < to; i++) {
            float g = Bits.select(Bits.negative(x[i]), alpha * dy[i], dy[i]);
            dx[i] = acc ? dx[i] + g : g;
          }
        }
        default -> {
          for (int i = from; i < to; i++) {
            float g = switch (op) {
              case SIGMOID -> dy[i] * y[i] * (1 - y[i]);
              case TANH -> dy[i] * (1 - y[i] * y[i]);
              default -> x[i] >= lo && x[i] <= hi ? dy[i] : 0f;
            };
            dx[i] = acc ? dx[i] + g : g;
          }
        }
      }
    });
  }

}
