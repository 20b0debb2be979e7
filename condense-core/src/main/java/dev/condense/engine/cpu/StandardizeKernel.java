package dev.condense.engine.cpu;

import dev.condense.graph.Axis;
import dev.condense.graph.Node;

/**
 * LayerNormalization and InstanceNormalization: the input seen as groups of {@code size}
 * consecutive elements, each standardised by its own mean and biased variance (epsilon inside
 * the square root, ONNX LayerNormalization-17's function body), then scaled and shifted. Layer
 * norm's groups are a sample's trailing axes and its parameters are indexed by the position in
 * the group; instance norm's groups are the (sample, channel) planes and its parameters by channel.
 * Backward is the standard-score gradient dx = rstd (g - mean(g) - x̂ mean(g x̂)), g = dy · scale.
 */
final class StandardizeKernel extends Kernel {
  private final int groups;
  private final int size;
  /** Parameters per group (instance norm: channels), or 0 when they follow the position in the group. */
  private final int channels;
  private final float epsilon;
  private final double[] mean;
  private final double[] rstd;

  private StandardizeKernel(Node node, Buf[] in, Buf[] out, int groups, int channels) {
    super(node, in, out);
    this.groups = groups;
    this.size = in[0].size / Math.max(1, groups);
    this.channels = channels;
    this.epsilon = node.floatAttr("epsilon", 1e-5f);
    mean = new double[groups];
    rstd = new double[groups];
  }

  static StandardizeKernel layer(Node node, Buf[] in, Buf[] out, boolean training) {
    if (training && (out.length > 1 && out[1] != null || out.length > 2 && out[2] != null)) {
      throw new dev.condense.CondenseException("node " + node.label() + ": LayerNormalization's Mean and"
          + " InvStdDev outputs are computed for inference only; a model that uses them cannot be trained");
    }
    int axis = Axis.of(node, node.intAttr("axis", -1), in[0].rank());
    int groups = 1;
    for (int a = 0; a < axis; a++) {
      groups *= in[0].dim(a);
    }
    return new StandardizeKernel(node, in, out, groups, 0);
  }

  static StandardizeKernel instance(Node node, Buf[] in, Buf[] out) {
    return new StandardizeKernel(node, in, out, in[0].dim(0) * in[0].dim(1), in[0].dim(1));
  }

  private int param(int g, int j) {
    return channels > 0 ? g % channels : j;
  }

  private boolean hasBias() {
    return in.length > 2 && in[2] != null;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    float[] s = in[1].data;
    float[] b = hasBias() ? in[2].data : null;
    for (int g = 0; g < groups; g++) {
      int base = g * size;
      double sum = 0;
      for (int j = 0; j < size; j++) {
        sum += x[base + j];
      }
      double mu = sum / size;
      double sq = 0;
      for (int j = 0; j < size; j++) {
        double d = x[base + j] - mu;
        sq += d * d;
      }
      double r = 1 / Math.sqrt(sq / size + epsilon);
      mean[g] = mu;
      rstd[g] = r;
      for (int j = 0; j < size; j++) {
        int p = param(g, j);
        y[base + j] = (float) ((x[base + j] - mu) * r * s[p] + (b == null ? 0 : b[p]));
      }
    }
    if (out.length > 1 && out[1] != null) {
      for (int g = 0; g < groups; g++) {
        out[1].data[g] = (float) mean[g];
      }
    }
    if (out.length > 2 && out[2] != null) {
      for (int g = 0; g < groups; g++) {
        out[2].data[g] = (float) rstd[g];
      }
    }
  }

  @Override
  void backward(Ctx ctx) {
    float[] x = in[0].data;
    float[] dy = out[0].grad;
    float[] s = in[1].data;
    boolean wantX = wants(0);
    boolean wantS = wants(1);
    boolean wantB = wants(2);
    if (wantS) {
      clearGradIfFirst(1);
    }
    if (wantB) {
      clearGradIfFirst(2);
    }
    for (int g = 0; g < groups; g++) {
      int base = g * size;
      double mu = mean[g];
      double r = rstd[g];
      double sumG = 0;
      double sumGx = 0;
      for (int j = 0; j < size; j++) {
        int p = param(g, j);
        double xhat = (x[base + j] - mu) * r;
        double gj = dy[base + j] * s[p];
        sumG += gj;
        sumGx += gj * xhat;
        if (wantS) {
          in[1].grad[p] += (float) (dy[base + j] * xhat);
        }
        if (wantB) {
          in[2].grad[p] += dy[base + j];
        }
      }
      if (wantX) {
        double mg = sumG / size;
        double mgx = sumGx / size;
        for (int j = 0; j < size; j++) {
          double xhat = (x[base + j] - mu) * r;
          double gj = dy[base + j] * s[param(g, j)];
          putGrad(0, base + j, (float) (r * (gj - mg - xhat * mgx)));
        }
      }
    }
  }
}
