package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/** ONNX Clip (opset 11+: min and max are optional scalar inputs); ReLU6 in exported models. */
final class Clip implements Op {

  @Override
  public String type() {
    return "Clip";
  }

  @Override
  public int since() {
    return 6; // Clip-6's min/max attributes become Clip-11's inputs (LegacyForms)
  }

  @Override
  public Kind kind() {
    return Kind.ELEMENTWISE_UNARY;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 3);
    for (int i = 1; i < in.size(); i++) {
      if (in.get(i) != null && in.get(i).size() != 1) {
        throw new CondenseException("node " + n.label() + ": Clip min/max must be scalars");
      }
    }
    return List.of(in.get(0));
  }

  /**
   * Like Relu: after a layer, ONNX Runtime's ClipQuantFusion removes a Clip whose range holds the
   * Quantize's representable range, which the observed (clipped, 0-containing) range of a
   * ReLU6 gives with zero point 0. A Clip whose min is above 0 would not be removed, and the
   * fusion check then refuses the model naming it.
   */
  @Override
  public IntegerForm integerForm() {
    return IntegerForm.ABSORBED;
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.PASS_THROUGH;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.activation(n, Activation.CLIP);
  }
}
