package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.VariadicMath;

/**
 * Sum, Mean, Max and Min of any number of inputs with NumPy broadcasting. Backward: Sum passes
 * dy to every input, Mean dy / count, Max and Min pass dy to the input holding the result, split
 * evenly where several inputs tie (PyTorch's maximum/minimum convention); each input's share is
 * summed over the elements it was broadcast to.
 */
final class VariadicKernel extends Kernel {
  private final VariadicMath op;
  private final int size;
  private final BroadcastMap[] maps;
  /** Source index per output element and input, or null where the input has the output's size. */
  private final int[][] index;
  private float[] share;

  VariadicKernel(Node node, Buf[] in, Buf[] out, VariadicMath op) {
    super(node, in, out);
    this.op = op;
    size = out[0].size;
    maps = new BroadcastMap[in.length];
    index = new int[in.length][];
    for (int k = 0; k < in.length; k++) {
      maps[k] = new BroadcastMap(in[k].shape, out[0].shape);
      index[k] = in[k].size == size ? null : maps[k].sourceIndex();
    }
  }

  private float value(int k, int o) {
    return in[k].data[index[k] == null ? o : index[k][o]];
  }

  @Override
  void forward(Ctx ctx) {
    float[] y = out[0].data;
    float scale = op == VariadicMath.MEAN ? 1f / in.length : 1f;
    ctx.par.forRange(size, 1, (from, to) -> {
      for (int o = from; o < to; o++) {
        float acc = value(0, o);
        for (int k = 1; k < in.length; k++) {
          float v = value(k, o);
          acc = switch (op) {
            case SUM, MEAN -> acc + v;
            case MAX -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
          };
        }
        y[o] = op == VariadicMath.MEAN ? acc * scale : acc;
      }
    });
  }

  @Override
  void backward(Ctx ctx) {
    float[] dy = out[0].grad;
    for (int k = 0; k < in.length; k++) {
      if (!wants(k)) {
        continue;
      }
      float[] g = op == VariadicMath.SUM || op == VariadicMath.MEAN ? dy : winnerShare(k, dy);
      float scale = op == VariadicMath.MEAN ? 1f / in.length : 1f;
      clearGradIfFirst(k);
      maps[k].reduce(g, scale, in[k].grad);
    }
  }

  /** dy where input k holds the Max/Min result, divided by the number of inputs that tie there. */
  private float[] winnerShare(int k, float[] dy) {
    if (share == null) {
      share = new float[size];
    }
    float[] y = out[0].data;
    for (int o = 0; o < size; o++) {
      if (value(k, o) != y[o]) {
        share[o] = 0;
        continue;
      }
      int ties = 0;
      for (int j = 0; j < in.length; j++) {
        ties += value(j, o) == y[o] ? 1 : 0;
      }
      share[o] = dy[o] / ties;
    }
    return share;
  }
}
