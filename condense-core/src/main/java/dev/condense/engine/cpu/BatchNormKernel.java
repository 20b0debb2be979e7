package dev.condense.engine.cpu;

import dev.condense.graph.Node;

/**
 * BatchNormalization. In inference it applies the running statistics. In training (and for a
 * node with {@code training_mode = 1}) it normalises with the batch's statistics; during engine
 * training the running statistics are updated in place as PyTorch does (ONNX momentum m:
 * {@code r = m·r + (1−m)·batch}, unbiased variance); a {@code training_mode} node's extra outputs
 * follow the ONNX definition (biased variance).
 */
final class BatchNormKernel extends Kernel {
  private final float eps;
  private final float momentum;
  private final boolean nodeTraining;
  private final int n;
  private final int c;
  private final int s;
  private float[] mean;
  private float[] invStd;

  BatchNormKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    eps = node.floatAttr("epsilon", 1e-5f);
    momentum = node.floatAttr("momentum", 0.9f);
    nodeTraining = node.intAttr("training_mode", 0) != 0;
    n = in[0].dim(0);
    c = in[0].dim(1);
    s = in[0].size / Math.max(1, n * c);
    mean = new float[c];
    invStd = new float[c];
  }

  @Override
  boolean differentiable(int slot) {
    return slot <= 2;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    float[] scale = in[1].data;
    float[] bias = in[2].data;
    float[] runMean = in[3].data;
    float[] runVar = in[4].data;
    boolean batchStats = ctx.training || nodeTraining;
    int m = n * s;
    ctx.par.forRange(c, (long) n * s * 3, (c0, c1) -> {
      for (int ch = c0; ch < c1; ch++) {
        float mu;
        float var;
        if (batchStats) {
          // One pass over the channel: sums of x − K and (x − K)² in double, shifted by the
          // channel's first value K so that the variance does not cancel when |mean| ≫ std.
          double shift = x[ch * s];
          double sum = 0;
          double sq = 0;
          for (int b = 0; b < n; b++) {
            for (int i = (b * c + ch) * s, e = i + s; i < e; i++) {
              double d = x[i] - shift;
              sum += d;
              sq += d * d;
            }
          }
          double dm = sum / m;
          mu = (float) (shift + dm);
          var = (float) Math.max(0, sq / m - dm * dm);
          if (ctx.training) {
            runMean[ch] = momentum * runMean[ch] + (1 - momentum) * mu;
            float unbiased = m > 1 ? var * m / (m - 1) : var;
            runVar[ch] = momentum * runVar[ch] + (1 - momentum) * unbiased;
          } else if (out.length > 2) {
            out[1].data[ch] = momentum * runMean[ch] + (1 - momentum) * mu;
            out[2].data[ch] = momentum * runVar[ch] + (1 - momentum) * var;
          }
        } else {
          mu = runMean[ch];
          var = runVar[ch];
        }
        float is = (float) (1 / Math.sqrt(var + eps));
        mean[ch] = mu;
        invStd[ch] = is;
        float a = scale[ch] * is;
        float b0 = bias[ch] - mu * a;
        for (int b = 0; b < n; b++) {
          for (int i = (b * c + ch) * s, e = i + s; i < e; i++) {
            y[i] = x[i] * a + b0;
          }
        }
      }
    });
  }

  @Override
  void backward(Ctx ctx) {
    float[] x = in[0].data;
    float[] dy = out[0].grad;
    float[] scale = in[1].data;
    boolean wantX = wants(0);
    boolean wantScale = wants(1);
    boolean wantBias = wants(2);
    int m = n * s;
    ctx.par.forRange(c, (long) n * s * 3, (c0, c1) -> {
      for (int ch = c0; ch < c1; ch++) {
        float mu = mean[ch];
        float is = invStd[ch];
        double sumDy = 0;
        double sumDyXhat = 0;
        for (int b = 0; b < n; b++) {
          for (int i = (b * c + ch) * s, e = i + s; i < e; i++) {
            sumDy += dy[i];
            sumDyXhat += dy[i] * (x[i] - mu) * is;
          }
        }
        if (wantScale) {
          putGrad(1, ch, (float) sumDyXhat);
        }
        if (wantBias) {
          putGrad(2, ch, (float) sumDy);
        }
        if (!wantX) {
          continue;
        }
        float[] dx = in[0].grad;
        boolean acc = accumulate[0];
        float k = scale[ch] * is / m;
        float meanDy = (float) sumDy;
        float meanDyX = (float) sumDyXhat;
        for (int b = 0; b < n; b++) {
          for (int i = (b * c + ch) * s, e = i + s; i < e; i++) {
            float xhat = (x[i] - mu) * is;
            float g = k * (m * dy[i] - meanDy - xhat * meanDyX);
            dx[i] = acc ? dx[i] + g : g;
          }
        }
      }
    });
  }
}
