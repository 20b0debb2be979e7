package dev.condense.engine.cpu;

import dev.condense.CondenseException;
import dev.condense.graph.Node;

/**
 * One node of the graph compiled for fixed shapes: a forward pass and, for training, a backward
 * pass that writes the gradients of the inputs that need one.
 *
 * <p>Gradient protocol: several kernels may feed the gradient of one value (a value used twice,
 * a residual connection). The plan marks, per input slot, whether this kernel is the first
 * writer in backward order ({@code accumulate[slot] == false}: overwrite) or a later one
 * ({@code true}: add).
 */
abstract class Kernel {
  final Node node;
  final Buf[] in;
  final Buf[] out;
  boolean[] accumulate;
  /** Multiply-adds of one forward call, for {@link OpProfile} (set by the plan). */
  long multiplyAdds;
  /** Multiply-adds of one backward call, for {@link OpProfile} (set by the plan). */
  long backwardMultiplyAdds;

  Kernel(Node node, Buf[] in, Buf[] out) {
    this.node = node;
    this.in = in;
    this.out = out;
    this.accumulate = new boolean[in.length];
  }

  abstract void forward(Ctx ctx);

  /** Writes the gradients of the inputs that need one from the outputs' gradients. */
  abstract void backward(Ctx ctx);

  /** Whether a gradient flows to input {@code slot} (weights, data; not shapes or BN statistics). */
  boolean differentiable(int slot) {
    return true;
  }

  /** Whether input {@code slot} exists and needs a gradient. */
  final boolean wants(int slot) {
    return slot < in.length && in[slot] != null && in[slot].grad != null && differentiable(slot);
  }

  /** Stores {@code v} into gradient element {@code i} of input {@code slot} per the protocol. */
  final void putGrad(int slot, int i, float v) {
    if (accumulate[slot]) {
      in[slot].grad[i] += v;
    } else {
      in[slot].grad[i] = v;
    }
  }

  /** Zeroes the gradient of {@code slot} if this kernel is its first writer (before adding into it). */
  final void clearGradIfFirst(int slot) {
    if (!accumulate[slot]) {
      java.util.Arrays.fill(in[slot].grad, 0f);
    }
  }

  /** The constant value (a shape, axes) of the input named {@code name}, or null if it is not constant. */
  final dev.condense.graph.Tensor constant(String name) {
    return constant(node, in, name);
  }

  /** {@link #constant(String)} before a kernel exists: from the node and its input buffers. */
  static dev.condense.graph.Tensor constant(Node node, Buf[] in, String name) {
    for (int i = 0; i < in.length; i++) {
      if (name.equals(node.input(i))) {
        return in[i] == null ? null : in[i].constant;
      }
    }
    return null;
  }

  /** Whether a gradient flows back from output {@code slot} (only the first, unless the op has several). */
  boolean gradientFrom(int slot) {
    return slot == 0;
  }

  CondenseException error(String what) {
    return new CondenseException("node " + node.label() + ": " + what);
  }
}
