package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.DType;
import dev.condense.graph.IndexMaps;
import dev.condense.graph.Node;
import dev.condense.graph.SliceSpec;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/** ONNX Slice at opset 10+ (starts, ends, axes, steps as inputs); folds on constants. */
final class Slice implements Op {

  @Override
  public String type() {
    return "Slice";
  }

  @Override
  public int since() {
    return 1; // Slice-1's starts/ends/axes attributes become Slice-10's inputs (LegacyForms)
  }

  @Override
  public IntegerForm integerForm() {
    return IntegerForm.SAME_SCALE; // the runtime drops the QDQ around Slice
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 3, 5);
    boolean shapeCode = in.get(0).dtype() != DType.FLOAT && constants.apply(n.input(0)) != null;
    return List.of(new ValueType(in.get(0).dtype(), SliceSpec.of(n, in.get(0).shape(), constants, shapeCode).count()));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return true;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor t = in.get(0);
    SliceSpec spec = SliceSpec.of(n, t.shape(), name -> in.get(n.inputs().indexOf(name)), t.dtype() != DType.FLOAT);
    return Elements.take(t, IndexMaps.of(t.shape(), spec.count(), spec::source), spec.count());
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.SLICE;
  }

  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.indexMap(n, false);
  }
}
