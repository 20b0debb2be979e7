package dev.condense.engine.cpu;

import dev.condense.graph.Node;

/**
 * Dropout during training (inverted: kept activations are scaled by 1/(1−ratio) so inference is
 * the identity). The ratio comes from the optional second input (opset ≥ 12), the {@code ratio}
 * attribute (older opsets), or defaults to 0.5.
 * Random draws come from the step's seeded stream.
 */
final class DropoutKernel extends Kernel {
  private final float ratio;
  private boolean[] keep;

  DropoutKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    ratio = in.length > 1 && in[1] != null ? in[1].data[0] : node.floatAttr("ratio", 0.5f);
    if (ratio < 0 || ratio >= 1) {
      throw error("dropout ratio must be in [0, 1), got " + ratio);
    }
  }

  /** The ratio this node drops (Han's dropout adjustment reads it). */
  float ratio() {
    return ratio;
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    if (keep == null || keep.length != x.length) {
      keep = new boolean[x.length];
    }
    float scale = 1 / (1 - ratio);
    for (int i = 0; i < x.length; i++) {
      keep[i] = ctx.random.nextFloat() >= ratio;
      y[i] = keep[i] ? x[i] * scale : 0f;
    }
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    float[] dy = out[0].grad;
    float scale = 1 / (1 - ratio);
    for (int i = 0; i < dy.length; i++) {
      putGrad(0, i, keep[i] ? dy[i] * scale : 0f);
    }
  }
}
