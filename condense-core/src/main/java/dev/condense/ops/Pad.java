package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Node;
import dev.condense.graph.PadSpec;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/** ONNX Pad at opset 11+ (constant, edge, reflect, wrap; pads, value and axes as inputs). */
final class Pad implements Op {

  @Override
  public String type() {
    return "Pad";
  }

  @Override
  public int since() {
    return 2; // Pad-2's pads/value attributes become Pad-11's inputs (LegacyForms)
  }

  /**
   * ONNX Runtime keeps a Pad between Dequantize and Quantize in float (no "drop QDQ" rule covers
   * it), but its Pad kernel takes uint8 and int8: the quantizer pads the integers themselves.
   */
  @Override
  public IntegerForm integerForm() {
    return IntegerForm.ON_INTEGERS;
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 4);
    int[] x = in.get(0).shape();
    return List.of(new ValueType(in.get(0).dtype(), PadSpec.of(n, x.length, constants).apply(n, x)));
  }

  /** Spatial padding keeps channels apart; padding the channel axis adds channels no layer makes. */
  @Override
  public ChannelRule channelRule() {
    return ChannelRule.SPATIAL;
  }

  @Override
  public String channelAxisChange(Node n, int[] x, Function<String, Tensor> constants) {
    PadSpec p = PadSpec.of(n, x.length, constants);
    return p.begin()[1] == 0 && p.end()[1] == 0 ? null : "padded along the channel axis";
  }

  /** Slot 0 is the data, slot 2 the fill value; pads and axes are int64. */
  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0 || slot == 2;
  }

  /** The data and the fill reach the output unchanged: token ids, or quantized integers, may pass. */
  @Override
  public boolean carriesIndices(int slot) {
    return slot == 0 || slot == 2;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.indexMap(n, true);
  }
}
