package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** ONNX Dropout (ratio as attribute or input; no mask output): noise in training, a view at inference. */
final class Dropout implements Op {

  @Override
  public String type() {
    return "Dropout";
  }

  @Override
  public int since() {
    return 6; // Dropout-6 (is_test) and -7 to -10 (ratio attribute) are rewritten to -12 (LegacyForms)
  }

  @Override
  public Kind kind() {
    return Kind.REGULARIZATION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 3);
    if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
      throw new CondenseException("node " + n.label()
          + ": Dropout's mask output (bool) is not supported by Condense");
    }
    Tensor mode = n.hasInput(2) ? constants.apply(n.input(2)) : null;
    Tensor ratio = n.hasInput(1) ? constants.apply(n.input(1)) : null;
    float r = ratio != null ? ratio.toFloats()[0] : n.floatAttr("ratio", 0.5f);
    if (mode != null && mode.toLongs()[0] != 0 && r != 0) {
      // A run with training_mode true is random: its result cannot be reproduced outside training.
      throw new CondenseException("node " + n.label() + ": Dropout's training_mode input is true;"
          + " Condense drops units only while it trains, with masks from its own seed");
    }
    return List.of(in.get(0));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PASS_THROUGH;
  }

  @Override
  public DoubleUnaryOperator onConstant(Node n) {
    return DoubleUnaryOperator.identity(); // at inference
  }

  /** Slot 2 is training_mode (bool). */
  @Override
  public boolean isFloatSlot(int slot) {
    return slot != 2;
  }

  @Override
  public boolean isView(boolean training) {
    return !training;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.dropout(n);
  }
}
