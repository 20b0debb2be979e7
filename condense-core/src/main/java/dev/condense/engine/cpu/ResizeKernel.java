package dev.condense.engine.cpu;

import dev.condense.graph.Node;
import dev.condense.ops.ResizeTaps;
import java.util.Arrays;

/**
 * Resize: one pass per changed axis over the whole batch ({@link ResizeTaps}), and the adjoint
 * passes in reverse order for the input gradient. Single-threaded: a pass is a few
 * multiply-adds per output element, far cheaper than the convolutions around it.
 */
final class ResizeKernel extends Kernel {
  private final ResizeTaps taps;
  private final float[][] work;

  ResizeKernel(Node node, Buf[] in, Buf[] out, ResizeTaps taps) {
    super(node, in, out);
    this.taps = taps;
    int[] sizes = taps.workSizes();
    work = new float[sizes.length][];
    Arrays.setAll(work, i -> new float[sizes[i]]);
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {
    taps.forward(in[0].data, out[0].data, work);
  }

  @Override
  void backward(Ctx ctx) {
    if (!wants(0)) {
      return;
    }
    clearGradIfFirst(0);
    taps.backward(out[0].grad, in[0].grad, work);
  }

  @Override
  public String toString() {
    return "Resize " + Arrays.toString(in[0].shape) + " -> " + Arrays.toString(out[0].shape);
  }
}
