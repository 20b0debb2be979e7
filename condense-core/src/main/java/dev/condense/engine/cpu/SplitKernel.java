package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.graph.SplitSpec;

/**
 * Split: the input seen as outer × axis × inner, each output a consecutive block of the axis.
 * Backward writes every part's gradient back into its block (zeros for a part no one trains
 * through), so the gradient flows from every output ({@link #gradientFrom}).
 */
final class SplitKernel extends Kernel {
  private final int outer;
  private final int inner;
  private final int length;
  private final int[] sizes;

  SplitKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    SplitSpec spec = SplitSpec.of(node, in[0].shape, this::constant);
    int o = 1;
    for (int a = 0; a < spec.axis(); a++) {
      o *= in[0].dim(a);
    }
    outer = o;
    length = in[0].dim(spec.axis());
    inner = in[0].size / Math.max(1, outer * length);
    sizes = spec.sizes();
  }

  @Override
  boolean gradientFrom(int slot) {
    return true;
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    for (int p = 0, offset = 0; p < sizes.length; offset += sizes[p], p++) {
      if (out[p] != null) {
        int block = sizes[p] * inner;
        for (int o = 0; o < outer; o++) {
          System.arraycopy(x, (o * length + offset) * inner, out[p].data, o * block, block);
        }
      }
    }
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    for (int p = 0, offset = 0; p < sizes.length; offset += sizes[p], p++) {
      float[] dy = out[p] == null ? null : out[p].grad;
      int block = sizes[p] * inner;
      for (int o = 0; o < outer; o++) {
        int base = (o * length + offset) * inner;
        for (int i = 0; i < block; i++) {
          putGrad(0, base + i, dy == null ? 0f : dy[o * block + i]);
        }
      }
    }
  }
}
