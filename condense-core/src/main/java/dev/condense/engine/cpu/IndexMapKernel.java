package dev.condense.engine.cpu;

import dev.condense.graph.IndexMaps;
import dev.condense.graph.Node;
import dev.condense.graph.PadSpec;
import dev.condense.graph.SliceSpec;
import dev.condense.graph.Tensor;
import java.util.function.Function;

/**
 * Ops whose every output element copies one input element or is a fill value: Pad (constant,
 * edge, reflect, wrap; cropping for negative pads), Slice (any starts, ends, axes, steps), Tile
 * and Expand (broadcasting: the gradient sums over an element's copies), and the maps of
 * Transpose and Gather by constant indices ({@link dev.condense.ops.ElementMap}). The
 * map from output to input is worked out once for the plan's fixed shapes, so forward is a
 * gather and backward a scatter-add (edge and reflect padding copy an input element several
 * times; its gradient is the sum).
 */
final class IndexMapKernel extends Kernel {
  /** For each output element, the input element it copies, or -1 for the fill value. */
  private final int[] source;
  private final boolean padding;

  IndexMapKernel(Node node, Buf[] in, Buf[] out, boolean padding) {
    super(node, in, out);
    this.padding = padding;
    IndexMaps.AxisMap map;
    if (padding) {
      map = PadSpec.of(node, in[0].rank(), this::constant)::source;
    } else {
      map = SliceSpec.of(node, in[0].shape, this::constant)::source;
    }
    source = IndexMaps.of(in[0].shape, out[0].shape, map);
  }

  /** An op that copies without a fill value, by a map worked out for these shapes (Tile, Expand, Transpose, Gather). */
  IndexMapKernel(Node node, Buf[] in, Buf[] out, int[] source) {
    super(node, in, out);
    this.padding = false;
    this.source = source;
  }

  @Override
  boolean differentiable(int slot) {
    return slot == 0;
  }

  @Override
  void forward(Ctx ctx) {
    float[] x = in[0].data;
    float[] y = out[0].data;
    // Pad's constant_value (input 2, default 0) may be a run-time input.
    float value = padding && in.length > 2 && in[2] != null ? in[2].data[0] : 0f;
    for (int o = 0; o < source.length; o++) {
      int s = source[o];
      y[o] = s >= 0 ? x[s] : value;
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
    for (int o = 0; o < source.length; o++) {
      int s = source[o];
      if (s >= 0) {
        dx[s] += dy[o];
      }
    }
  }
}
