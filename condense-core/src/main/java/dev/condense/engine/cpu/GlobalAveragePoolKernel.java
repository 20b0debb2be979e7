package dev.condense.engine.cpu;

import dev.condense.graph.Node;

/** GlobalAveragePool: the mean of each channel's plane (ThiNet's GAP head, ResNets). */
final class GlobalAveragePoolKernel extends Kernel {
  private final int planes;
  private final int plane;

  GlobalAveragePoolKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    planes = in[0].dim(0) * in[0].dim(1);
    plane = in[0].size / Math.max(1, planes);
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    for (int p = 0; p < planes; p++) {
      double s = 0;
      for (int i = p * plane, e = i + plane; i < e; i++) {
        s += x[i];
      }
      y[p] = (float) (s / plane);
    }
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    float[] dx = in[0].grad;
    float[] dy = out[0].grad;
    boolean acc = accumulate[0];
    for (int p = 0; p < planes; p++) {
      float g = dy[p] / plane;
      for (int i = p * plane, e = i + plane; i < e; i++) {
        dx[i] = acc ? dx[i] + g : g;
      }
    }
  }
}
