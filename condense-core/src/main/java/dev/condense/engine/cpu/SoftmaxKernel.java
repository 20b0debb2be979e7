package dev.condense.engine.cpu;

import dev.condense.graph.Axis;
import dev.condense.graph.Node;

/**
 * Softmax or LogSoftmax along one axis (opset 13), computed stably by subtracting each row's
 * maximum: log-softmax is x − max − log Σ exp(x − max), its gradient dy − softmax · Σ dy.
 */
final class SoftmaxKernel extends Kernel {
  private final int outer;
  private final int axisLen;
  private final int inner;
  private final boolean log;

  SoftmaxKernel(Node node, Buf[] in, Buf[] out, boolean log) {
    super(node, in, out);
    this.log = log;
    int axis = Axis.of(node, node.intAttr("axis", -1), in[0].rank());
    int o = 1;
    for (int i = 0; i < axis; i++) {
      o *= in[0].dim(i);
    }
    outer = o;
    axisLen = in[0].dim(axis);
    inner = in[0].size / Math.max(1, outer * axisLen);
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    for (int a = 0; a < outer; a++) {
      for (int t = 0; t < inner; t++) {
        int base = a * axisLen * inner + t;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < axisLen; j++) {
          max = Math.max(max, x[base + j * inner]);
        }
        double sum = 0;
        for (int j = 0; j < axisLen; j++) {
          double e = Math.exp(x[base + j * inner] - max);
          y[base + j * inner] = (float) e;
          sum += e;
        }
        if (log) {
          double shift = max + Math.log(sum);
          for (int j = 0; j < axisLen; j++) {
            y[base + j * inner] = (float) (x[base + j * inner] - shift);
          }
          continue;
        }
        float inv = (float) (1 / sum);
        for (int j = 0; j < axisLen; j++) {
          y[base + j * inner] *= inv;
        }
      }
    }
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    float[] y = out[0].data;
    float[] dy = out[0].grad;
    for (int a = 0; a < outer; a++) {
      for (int t = 0; t < inner; t++) {
        int base = a * axisLen * inner + t;
        double dot = 0;
        for (int j = 0; j < axisLen; j++) {
          dot += log ? dy[base + j * inner] : dy[base + j * inner] * y[base + j * inner];
        }
        for (int j = 0; j < axisLen; j++) {
          int i = base + j * inner;
          putGrad(0, i, (float) (log ? dy[i] - Math.exp(y[i]) * dot : y[i] * (dy[i] - dot)));
        }
      }
    }
  }
}
