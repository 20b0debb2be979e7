package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.ScatterSlices;

/**
 * ScatterND on run-time float values with constant indices: the output is the data with the
 * indexed slices replaced by the updates (reduction none) or the updates added to them (add).
 * Backward: the data gets the output's gradient, zero where a slice was overwritten (those
 * elements no longer depend on it); the updates get the output's gradient at their slices. The
 * indices get none.
 */
final class ScatterKernel extends Kernel {
  private final ScatterSlices slices;
  /** For reduction none, which data elements the updates overwrite (their gradient is zero); else null. */
  private final boolean[] overwritten;

  ScatterKernel(Node node, Buf[] in, Buf[] out, ScatterSlices slices) {
    super(node, in, out);
    this.slices = slices;
    if (slices.adds()) {
      overwritten = null;
    } else {
      overwritten = new boolean[in[0].size];
      for (int j = 0; j < slices.count(); j++) {
        java.util.Arrays.fill(overwritten, slices.offset(j), slices.offset(j) + slices.sliceSize(), true);
      }
    }
  }

  @Override
  boolean differentiable(int slot) {
    return slot != 1;
  }

  @Override
  void forward(Ctx ctx) {
    float[] y = out[0].data;
    System.arraycopy(in[0].data, 0, y, 0, y.length);
    slices.apply(y, in[2].data);
  }

  @Override
  void backward(Ctx ctx) {
    float[] dy = out[0].grad;
    if (wants(0)) {
      for (int i = 0; i < dy.length; i++) {
        putGrad(0, i, overwritten != null && overwritten[i] ? 0f : dy[i]);
      }
    }
    if (wants(2)) {
      int s = slices.sliceSize();
      for (int j = 0; j < slices.count(); j++) {
        int from = slices.offset(j);
        for (int t = 0; t < s; t++) {
          putGrad(2, j * s + t, dy[from + t]);
        }
      }
    }
  }
}
