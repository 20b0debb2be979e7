package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireRank;

import dev.condense.CondenseException;
import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** MaxPool and AveragePool over spatial windows (pads, strides, dilations, ceil_mode). */
final class Pools implements Op {
  // MaxPool-8 added storage_order (Indices only) and -10 dilations/ceil_mode with defaults that
  // are -1's behaviour; AveragePool-7's count_include_pad defaults to -1's exclusion of padding.
  static final Pools MAX = new Pools("MaxPool", 1, true);
  static final Pools AVERAGE = new Pools("AveragePool", 1, false);

  private final String type;
  private final int since;
  private final boolean max;

  private Pools(String type, int since, boolean max) {
    this.type = type;
    this.since = since;
    this.max = max;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int since() {
    return since;
  }

  @Override
  public IntegerForm integerForm() {
    return max ? IntegerForm.SAME_SCALE : IntegerForm.REQUANTIZED; // uint8 MaxPool; QLinearAveragePool
  }

  @Override
  public Kind kind() {
    return Kind.POOLING;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
      throw new CondenseException("node " + n.label() + ": MaxPool's Indices output is not supported");
    }
    int[] x = in.get(0).shape();
    requireRank(n, x, 3, 5);
    long[] ks = n.intsAttr("kernel_shape", null);
    if (ks == null || ks.length != x.length - 2) {
      throw new CondenseException("node " + n.label() + ": kernel_shape must give " + (x.length - 2) + " sizes");
    }
    int[] kernel = Arrays.stream(ks).mapToInt(Math::toIntExact).toArray();
    ConvGeometry g = ConvGeometry.of(n, Arrays.copyOfRange(x, 2, x.length), kernel, n.intAttr("ceil_mode", 0) != 0);
    int[] out = x.clone();
    System.arraycopy(g.out(), 0, out, 2, g.rank());
    return List.of(new ValueType(in.get(0).dtype(), out));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PASS_THROUGH;
  }

  @Override
  public DoubleUnaryOperator onConstant(Node n) {
    return DoubleUnaryOperator.identity();
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.pool(n, max);
  }
}
