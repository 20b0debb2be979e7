package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.graph.Axis;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Softmax and LogSoftmax at opset 13+, along one axis (default -1). Before 13 both
 * flattened their input to 2-D at the axis; a model at an older opset is refused by its opset
 * ({@link #since}), never run with the newer semantics.
 */
final class Softmax implements Op {
  private final boolean log;

  /** Softmax. */
  Softmax() {
    this(false);
  }

  private Softmax(boolean log) {
    this.log = log;
  }

  /** LogSoftmax: log(softmax(x)), computed as x − max − log Σ exp(x − max). */
  static Softmax logSoftmax() {
    return new Softmax(true);
  }

  @Override
  public String type() {
    return log ? "LogSoftmax" : "Softmax";
  }

  @Override
  public int since() {
    return 13;
  }

  @Override
  public Kind kind() {
    return Kind.DISTRIBUTION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 1);
    Axis.of(n, n.intAttr("axis", -1), in.get(0).rank());
    return List.of(in.get(0));
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return log ? kernels.logSoftmax(n) : kernels.softmax(n);
  }
}
