package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.IndexMaps;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * What Tile and Expand share: data and a constant int64 argument (repeats, shape) give an output
 * whose every element copies one input element ({@link IndexMaps#repeat}), so they fold the same
 * way, run the same engine kernel (whose gradient sums over an element's copies) and pass
 * channels when the channel axis keeps its length. Each says only how its output shape follows.
 */
abstract class Repeat implements Op {

  /** The output's shape for input shape {@code x}; an error naming the node if the argument is not constant. */
  abstract int[] outShape(Node n, int[] x, Function<String, Tensor> constants);

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    return List.of(new ValueType(in.get(0).dtype(), outShape(n, in.get(0).shape(), constants)));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    int[] out = outShape(n, in.get(0).shape(), name -> in.get(n.inputs().indexOf(name)));
    return Elements.take(in.get(0), IndexMaps.repeat(in.get(0).shape(), out), out);
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.SPATIAL;
  }

  @Override
  public String channelAxisChange(Node n, int[] x, Function<String, Tensor> constants) {
    int[] out = outShape(n, x, constants);
    return out.length != x.length || x.length < 2 || out[1] != x[1]
        ? "repeated along the channel axis by " + n.opType() : null;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.repeat(n);
  }
}
