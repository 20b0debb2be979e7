package dev.condense.engine.cpu;

import dev.condense.graph.Axis;
import dev.condense.graph.Node;

/**
 * ONNX Gather by run-time indices (input 1, integers held as floats): every index picks one slice
 * of the data along the axis (an embedding lookup picks a row of the table). Backward adds each
 * output slice's gradient into the slice it came from, so a token seen twice gets both; the
 * indices get none. An index outside [-size, size) is refused naming the node, as ONNX Runtime
 * refuses it (Gather-13: negative indices count from the end).
 */
final class GatherKernel extends Kernel {
  private final int outer;
  private final int len;
  private final int inner;
  private final int count;

  GatherKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    int axis = Axis.of(node, node.intAttr("axis", 0), in[0].rank());
    int o = 1;
    for (int i = 0; i < axis; i++) {
      o *= in[0].dim(i);
    }
    int r = 1;
    for (int i = axis + 1; i < in[0].rank(); i++) {
      r *= in[0].dim(i);
    }
    outer = o;
    len = in[0].dim(axis);
    inner = r;
    count = in[1].size;
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  /** The slice index {@code k}-th index picks, checked. */
  private int index(int k) {
    float v = in[1].data[k];
    long j = (long) v < 0 ? (long) v + len : (long) v;
    if (j < 0 || j >= len) {
      throw error("Gather index " + (long) v + " out of range for size " + len);
    }
    return (int) j;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    for (int k = 0; k < count; k++) {
      int j = index(k);
      for (int o = 0; o < outer; o++) {
        System.arraycopy(x, (o * len + j) * inner, y, (o * count + k) * inner, inner);
      }
    }
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    clearGradIfFirst(0);
    float[] dx = in[0].grad;
    float[] dy = out[0].grad;
    for (int k = 0; k < count; k++) {
      int j = index(k);
      for (int o = 0; o < outer; o++) {
        int from = (o * count + k) * inner;
        int to = (o * len + j) * inner;
        for (int t = 0; t < inner; t++) {
          dx[to + t] += dy[from + t];
        }
      }
    }
  }
}
