package dev.condense.engine.cpu;

import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Node;
import java.util.Arrays;

/** Makes the kernel of a node once the shapes of its inputs and outputs are known. */
final class KernelFactory {
  private KernelFactory() {}

  /** Whether the node's output is just a view of its first input (shares its arrays). */
  static boolean isView(Node node, boolean training) {
    return switch (node.opType()) {
      case "Reshape", "Flatten", "Identity" -> true;
      case "Dropout" -> !training;
      default -> false;
    };
  }

  /** Input slots that hold shapes or other non-float data instead of float tensors. */
  static boolean isFloatSlot(Node node, int slot) {
    return !(node.opType().equals("Reshape") && slot == 1)
        && !(node.opType().equals("Pad") && slot != 0 && slot != 2)
        && !(node.opType().equals("Slice") && slot != 0)
        && !(node.opType().equals("Dropout") && slot == 2);
  }

  /**
   * @param sparse whether inference may run pruned constant fully connected weights sparse
   */
  static Kernel create(Node node, Buf[] in, Buf[] out, boolean training, boolean sparse) {
    if (isView(node, training)) {
      return new ViewKernel(node, in, out);
    }
    if (sparse && !training && node.opType().equals("Gemm") && SparseGemmKernel.worthIt(node, in)) {
      return new SparseGemmKernel(node, in, out);
    }
    return switch (node.opType()) {
      case "Conv" -> new ConvKernel(node, in, out, geometry(node, in[0], spatial(in[1].shape), false));
      case "MaxPool", "AveragePool" -> new PoolKernel(node, in, out,
          geometry(node, in[0], toInts(node.intsAttr("kernel_shape", null)), node.intAttr("ceil_mode", 0) != 0));
      case "GlobalAveragePool" -> new GlobalAveragePoolKernel(node, in, out);
      case "Gemm" -> new GemmKernel(node, in, out);
      case "MatMul" -> new MatMulKernel(node, in, out);
      case "Add", "Sub", "Mul", "Div" -> new BinaryKernel(node, in, out);
      case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip" -> new UnaryKernel(node, in, out);
      case "BatchNormalization" -> new BatchNormKernel(node, in, out);
      case "Softmax" -> new SoftmaxKernel(node, in, out);
      case "Concat" -> new ConcatKernel(node, in, out);
      case "Pad", "Slice" -> new IndexMapKernel(node, in, out);
      case "Dropout" -> new DropoutKernel(node, in, out);
      default -> throw new dev.condense.CondenseException("node " + node.label()
          + ": op '" + node.opType() + "' has no engine kernel");
    };
  }

  private static ConvGeometry geometry(Node node, Buf x, int[] kernel, boolean ceil) {
    if (x.rank() > 4) {
      throw new dev.condense.CondenseException("node " + node.label() + ": the engine runs 1-D and 2-D "
          + node.opType() + " only, input has shape " + Arrays.toString(x.shape));
    }
    return ConvGeometry.of(node, Arrays.copyOfRange(x.shape, 2, x.rank()), kernel, ceil);
  }

  private static int[] spatial(int[] w) {
    return Arrays.copyOfRange(w, 2, w.length);
  }

  private static int[] toInts(long[] v) {
    return Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
  }
}
