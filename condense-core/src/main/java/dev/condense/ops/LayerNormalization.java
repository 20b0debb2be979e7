package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Axis;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX LayerNormalization (opset 17): every sample's elements from {@code axis} on are
 * standardised with their own mean and variance, then scaled and shifted by the learned Scale and
 * B (shaped like those axes). Transformers' LayerNorm. The optional Mean and InvStdDev outputs
 * are computed at inference; a training plan refuses them (their gradients are not implemented).
 */
final class LayerNormalization implements Op {

  @Override
  public String type() {
    return "LayerNormalization";
  }

  /** Its scale and bias are learned parameters. */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot == 1 || slot == 2;
  }

  @Override
  public int since() {
    return 17;
  }

  @Override
  public Kind kind() {
    return Kind.STANDARDIZATION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 3);
    int[] x = in.get(0).shape();
    int axis = Axis.of(n, n.intAttr("axis", -1), x.length);
    int[] normalized = Arrays.copyOfRange(x, axis, x.length);
    for (int i = 1; i < in.size(); i++) {
      if (in.get(i) != null && !trailing(in.get(i).shape(), normalized)) {
        throw new CondenseException("node " + n.label() + ": " + (i == 1 ? "Scale " : "B ") + in.get(i)
            + " does not match the normalized axes " + Arrays.toString(normalized));
      }
    }
    int[] stats = x.clone();
    Arrays.fill(stats, axis, x.length, 1);
    List<ValueType> out = new ArrayList<>(List.of(in.get(0)));
    out.add(ValueType.floats(stats));
    out.add(ValueType.floats(stats));
    return out;
  }

  /** Whether {@code p} is {@code normalized} with or without leading axes of length 1. */
  private static boolean trailing(int[] p, int[] normalized) {
    if (p.length > normalized.length && !Arrays.stream(p, 0, p.length - normalized.length).allMatch(d -> d == 1)) {
      return false;
    }
    int[] tail = Arrays.copyOfRange(p, Math.max(0, p.length - normalized.length), p.length);
    return Arrays.equals(tail, normalized);
  }

  /** Channels stay apart when the normalized axes come after the channel axis. */
  @Override
  public ChannelRule channelRule() {
    return ChannelRule.SPATIAL;
  }

  @Override
  public String channelAxisChange(Node n, int[] x, Function<String, Tensor> constants) {
    return Axis.of(n, n.intAttr("axis", -1), x.length) <= 1 ? "normalized across the channel axis" : null;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.layerNormalization(n);
  }
}
