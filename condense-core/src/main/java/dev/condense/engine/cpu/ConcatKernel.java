package dev.condense.engine.cpu;

import dev.condense.graph.Axis;
import dev.condense.graph.Node;

/** Concat along one axis: each input is a block of every outer row of the output. */
final class ConcatKernel extends Kernel {
  private final int outer;
  private final int[] blocks;
  private final int outRow;

  ConcatKernel(Node node, Buf[] in, Buf[] out) {
    super(node, in, out);
    int axis = Axis.of(node, node.intAttr("axis", Long.MIN_VALUE), out[0].rank());
    int o = 1;
    for (int i = 0; i < axis; i++) {
      o *= out[0].dim(i);
    }
    outer = o;
    blocks = new int[in.length];
    int row = 0;
    for (int i = 0; i < in.length; i++) {
      blocks[i] = in[i].size / Math.max(1, outer);
      row += blocks[i];
    }
    outRow = row;
  }

  @Override
  void forward(Ctx ctx) {
    float[] y = out[0].data;
    int off = 0;
    for (int i = 0; i < in.length; i++) {
      for (int a = 0; a < outer; a++) {
        System.arraycopy(in[i].data, a * blocks[i], y, a * outRow + off, blocks[i]);
      }
      off += blocks[i];
    }
  }

  @Override
  void backward(Ctx ctx) {
    float[] dy = out[0].grad;
    int off = 0;
    for (int i = 0; i < in.length; i++) {
      if (wants(i)) {
        for (int a = 0; a < outer; a++) {
          for (int j = 0; j < blocks[i]; j++) {
            putGrad(i, a * blocks[i] + j, dy[a * outRow + off + j]);
          }
        }
      }
      off += blocks[i];
    }
  }
}
