package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireRank;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.TransposedConvGeometry;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX ConvTranspose (1-D and 2-D; strides, pads, output_padding, dilations, group, auto_pad,
 * output_shape): X [N, C_in, ...], W [C_in, C_out/group, k...], optional B [C_out]. The
 * up-sampling layer of decoders and U-Nets. For structured pruning
 * ({@link ChannelRule#TRANSPOSED_CONVOLUTION}) it reads channels through weight axis 0 and makes
 * new ones along weight axis 1 (and the bias), the reverse of Conv's axes.
 */
final class ConvTranspose implements Op {

  @Override
  public String type() {
    return "ConvTranspose";
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public Kind kind() {
    return Kind.TRANSPOSED_CONVOLUTION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 3);
    int[] x = in.get(0).shape();
    int[] w = in.get(1).shape();
    if (x.length == 5) {
      throw new CondenseException("node " + n.label() + ": 3-D ConvTranspose is not supported (1-D and 2-D only)");
    }
    requireRank(n, x, 3, 4);
    int[] kernel = Conv.kernel(n, x, w);
    int group = (int) n.intAttr("group", 1);
    if (group < 1 || x[1] % group != 0 || w[0] != x[1]) {
      throw new CondenseException("node " + n.label() + ": input has " + x[1] + " channels, weight "
          + Arrays.toString(w) + " with group=" + group + " does not fit");
    }
    int outChannels = w[1] * group;
    if (in.size() > 2 && in.get(2) != null && (in.get(2).rank() != 1 || in.get(2).dim(0) != outChannels)) {
      throw new CondenseException("node " + n.label() + ": bias shape " + in.get(2)
          + " does not match " + outChannels + " output channels");
    }
    TransposedConvGeometry g = TransposedConvGeometry.of(n, Arrays.copyOfRange(x, 2, x.length), kernel);
    int[] out = new int[x.length];
    out[0] = x[0];
    out[1] = outChannels;
    System.arraycopy(g.out(), 0, out, 2, g.rank());
    return List.of(ValueType.floats(out));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.TRANSPOSED_CONVOLUTION;
  }

  /** Each input element is multiplied by C_out/group × kernel weights. */
  @Override
  public long multiplyAdds(Node n, ShapeInference.Result shapes) {
    return MultiplyAdds.perWeightRow(shapes.type(n.input(0)), shapes.type(n.input(1)).shape());
  }

  /** The kernel (W) and the bias (B). */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot == 1 || slot == 2;
  }

  @Override
  public int weightSlot() {
    return 1;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.transposedConvolution(n);
  }
}
