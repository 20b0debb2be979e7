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
 * flattened their input to 2-D at the axis (default 1); {@link OpsetNormalizer} rewrites such a node
 * at load into this form (Flatten, Softmax, Reshape unless the axis is the last), so it is never
 * run with the newer semantics.
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
    return 1; // before 13 the input was coerced to 2-D: LegacyForms rewrites it to the -13 form
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
  public int keptAxis(Node n, int rank, int axis) {
    return Axis.of(n, n.intAttr("axis", -1), rank) == axis ? -1 : axis; // normalised along its axis only
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return log ? kernels.logSoftmax(n) : kernels.softmax(n);
  }
}
