package dev.condense.engine.cpu;

import dev.condense.CondenseException;
import dev.condense.graph.ConvGeometry;
import dev.condense.graph.IndexMaps;
import dev.condense.graph.Node;
import dev.condense.graph.TransposedConvGeometry;
import dev.condense.ops.Activation;
import dev.condense.ops.BinaryMath;
import dev.condense.ops.ElementMap;
import dev.condense.ops.EngineKernels;
import dev.condense.ops.Logic;
import dev.condense.ops.Op;
import dev.condense.ops.RecurrentCell;
import dev.condense.ops.Reduction;
import dev.condense.ops.ResizeTaps;
import dev.condense.ops.ScatterSlices;
import dev.condense.ops.UnaryMath;
import dev.condense.ops.VariadicMath;
import java.util.Arrays;

/**
 * Makes the kernel of a node once the shapes of its inputs and outputs are known: the node's op
 * picks the kind of kernel ({@link Op#kernel}), this class builds it for the node's buffers.
 */
final class KernelFactory implements EngineKernels<Kernel> {
  private final Buf[] in;
  private final Buf[] out;
  private final boolean training;
  private final boolean sparse;

  private KernelFactory(Buf[] in, Buf[] out, boolean training, boolean sparse) {
    this.in = in;
    this.out = out;
    this.training = training;
    this.sparse = sparse;
  }

  /**
   * The kernel of {@code node}, whose op is {@code op}.
   *
   * @param sparse whether inference may run pruned constant fully connected weights sparse
   */
  static Kernel create(Op op, Node node, Buf[] in, Buf[] out, boolean training, boolean sparse) {
    KernelFactory f = new KernelFactory(in, out, training, sparse);
    return op.isView(training) ? f.view(node) : op.kernel(node, f);
  }

  @Override
  public Kernel convolution(Node n) {
    return new ConvKernel(n, in, out, geometry(n, in[0], spatial(in[1].shape), false));
  }

  @Override
  public Kernel transposedConvolution(Node n) {
    if (in[0].rank() > 4) {
      throw new CondenseException("node " + n.label() + ": the engine runs 1-D and 2-D ConvTranspose only, input has shape "
          + Arrays.toString(in[0].shape));
    }
    return new ConvTransposeKernel(n, in, out,
        TransposedConvGeometry.of(n, Arrays.copyOfRange(in[0].shape, 2, in[0].rank()), spatial(in[1].shape)));
  }

  @Override
  public Kernel resize(Node n) {
    return new ResizeKernel(n, in, out, ResizeTaps.of(n, in[0].shape, name -> Kernel.constant(n, in, name)));
  }

  @Override
  public Kernel pool(Node n, boolean max) {
    return new PoolKernel(n, in, out,
        geometry(n, in[0], toInts(n.intsAttr("kernel_shape", null)), n.intAttr("ceil_mode", 0) != 0), max);
  }

  @Override
  public Kernel globalAveragePool(Node n) {
    return new GlobalAveragePoolKernel(n, in, out);
  }

  @Override
  public Kernel gemm(Node n) {
    if (sparse && !training && SparseGemmKernel.worthIt(n, in)) {
      return new SparseGemmKernel(n, in, out);
    }
    return new GemmKernel(n, in, out);
  }

  @Override
  public Kernel matMul(Node n) {
    return new MatMulKernel(n, in, out);
  }

  @Override
  public Kernel einsum(Node n) {
    return new EinsumKernel(n, in, out);
  }

  @Override
  public Kernel binary(Node n, BinaryMath math) {
    return new BinaryKernel(n, in, out, math);
  }

  @Override
  public Kernel activation(Node n, Activation activation) {
    return new UnaryKernel(n, in, out, activation);
  }

  @Override
  public Kernel unary(Node n, UnaryMath math) {
    return new ElementwiseKernel(n, in, out, math);
  }

  @Override
  public Kernel batchNormalization(Node n) {
    return new BatchNormKernel(n, in, out);
  }

  @Override
  public Kernel softmax(Node n) {
    return new SoftmaxKernel(n, in, out, false);
  }

  @Override
  public Kernel logSoftmax(Node n) {
    return new SoftmaxKernel(n, in, out, true);
  }

  @Override
  public Kernel variadic(Node n, VariadicMath math) {
    return new VariadicKernel(n, in, out, math);
  }

  @Override
  public Kernel concat(Node n) {
    return new ConcatKernel(n, in, out);
  }

  @Override
  public Kernel indexMap(Node n, boolean padding) {
    return new IndexMapKernel(n, in, out, padding);
  }

  @Override
  public Kernel logic(Node n, Logic logic) {
    return new LogicKernel(n, in, out, logic);
  }

  @Override
  public Kernel where(Node n) {
    return new WhereKernel(n, in, out);
  }

  @Override
  public Kernel elementCopy(Node n, ElementMap map) {
    return new IndexMapKernel(n, in, out, map.sources(n, in[0].shape, name -> Kernel.constant(n, in, name)));
  }

  @Override
  public Kernel gather(Node n, ElementMap map) {
    return in[1].constant != null ? elementCopy(n, map) : new GatherKernel(n, in, out);
  }

  @Override
  public Kernel dropout(Node n) {
    return new DropoutKernel(n, in, out);
  }

  @Override
  public Kernel view(Node n) {
    return new ViewKernel(n, in, out);
  }

  @Override
  public Kernel reduce(Node n, Reduction reduction) {
    return new ReduceKernel(n, in, out, reduction);
  }

  @Override
  public Kernel argMax(Node n) {
    return new ArgMaxKernel(n, in, out);
  }

  @Override
  public Kernel layerNormalization(Node n) {
    return StandardizeKernel.layer(n, in, out, training);
  }

  @Override
  public Kernel instanceNormalization(Node n) {
    return StandardizeKernel.instance(n, in, out);
  }

  @Override
  public Kernel split(Node n) {
    return new SplitKernel(n, in, out);
  }

  @Override
  public Kernel repeat(Node n) {
    return new IndexMapKernel(n, in, out, IndexMaps.repeat(in[0].shape, out[0].shape));
  }

  @Override
  public Kernel linearQuantization(Node n, boolean quantize) {
    return new QuantizeKernel(n, in, out, quantize);
  }

  @Override
  public Kernel qlinearConvolution(Node n) {
    return new QLinearConvKernel(n, in, out, geometry(n, in[0], spatial(in[3].shape), false));
  }

  @Override
  public Kernel recurrent(Node n, RecurrentCell cell) {
    return switch (cell) {
      case LSTM -> new LstmKernel(n, in, out);
      case GRU -> new GruKernel(n, in, out);
      case RNN -> new RnnKernel(n, in, out);
    };
  }

  @Override
  public Kernel scatter(Node n) {
    if (in[1].constant == null) {
      throw new CondenseException("node " + n.label() + ": ScatterND's indices must be constant (computed from shapes or stored)");
    }
    return new ScatterKernel(n, in, out, ScatterSlices.of(n, in[0].shape, in[1].constant));
  }

  @Override
  public Kernel none(Node n) {
    throw new CondenseException("node " + n.label() + ": op '" + n.opType() + "' has no engine kernel");
  }

  private static ConvGeometry geometry(Node node, Buf x, int[] kernel, boolean ceil) {
    if (x.rank() > 4) {
      throw new CondenseException("node " + node.label() + ": the engine runs 1-D and 2-D "
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
