package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Node;
import dev.condense.graph.ReduceSpec;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * ONNX ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceL2 and ReduceSumSquare, in both forms:
 * axes as an attribute (opsets 1-17; ReduceSum to 12) and as input 1 (ReduceSum from 13, all from
 * 18), with keepdims and noop_with_empty_axes ({@link ReduceSpec}). Exporters emit them for
 * global pooling ({@code x.mean(dim=(2, 3))}), layer norms written out by hand and losses.
 */
final class Reduce implements Op {
  static final Reduce MEAN = new Reduce("ReduceMean", Reduction.MEAN);
  static final Reduce SUM = new Reduce("ReduceSum", Reduction.SUM);
  static final Reduce MAX = new Reduce("ReduceMax", Reduction.MAX);
  static final Reduce MIN = new Reduce("ReduceMin", Reduction.MIN);
  static final Reduce L2 = new Reduce("ReduceL2", Reduction.L2);
  static final Reduce SUM_SQUARE = new Reduce("ReduceSumSquare", Reduction.SUM_SQUARE);

  private final String type;
  private final Reduction reduction;

  private Reduce(String type, Reduction reduction) {
    this.type = type;
    this.reduction = reduction;
  }

  @Override
  public String type() {
    return type;
  }

  /** Opset 1's definition is the attribute form Condense reads; later versions add types, negative axes, the input. */
  @Override
  public int since() {
    return 1;
  }

  @Override
  public Kind kind() {
    return Kind.REDUCTION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 2);
    return List.of(new ValueType(in.get(0).dtype(), ReduceSpec.of(n, in.get(0).shape(), constants).outShape()));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor t = in.get(0);
    ReduceSpec spec = ReduceSpec.of(n, t.shape(), name -> in.get(n.inputs().indexOf(name)));
    int[] shape = spec.outShape();
    float[] y = new float[Tensor.checkedNumel(shape)];
    reduction.forward(t.toFloats(), spec.target(), spec.count(), y, null);
    return Cast.to(Tensor.of(y, shape), t.dtype());
  }

  /** Channels pass where the reduction leaves the channel axis (1) in place, as global pooling does. */
  @Override
  public ChannelRule channelRule() {
    return ChannelRule.SPATIAL;
  }

  @Override
  public String channelAxisChange(Node n, int[] x, Function<String, Tensor> constants) {
    ReduceSpec spec = ReduceSpec.of(n, x, constants);
    if (x.length < 2 || spec.reduces(1)) {
      return "reduced along the channel axis";
    }
    return spec.reduces(0) && !spec.keepdims() ? "reduced along the batch axis" : null;
  }

  /** A constant channel stays that constant under a mean, max or min of its own elements. */
  @Override
  public DoubleUnaryOperator onConstant(Node n) {
    return reduction == Reduction.MEAN || reduction == Reduction.MAX || reduction == Reduction.MIN
        ? DoubleUnaryOperator.identity() : null;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.reduce(n, reduction);
  }
}
