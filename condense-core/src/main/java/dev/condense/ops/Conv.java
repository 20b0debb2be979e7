package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;
import static dev.condense.ops.NodeChecks.requireRank;

import dev.condense.CondenseException;
import dev.condense.graph.ConvGeometry;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** ONNX Conv (1-D and 2-D in the engine; groups, pads, strides, dilations, auto_pad): X, W, optional B. */
final class Conv implements Op {

  @Override
  public String type() {
    return "Conv";
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public IntegerForm integerForm() {
    return IntegerForm.LAYER; // QLinearConv
  }

  @Override
  public Kind kind() {
    return Kind.CONVOLUTION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 3);
    int[] x = in.get(0).shape();
    int[] w = in.get(1).shape();
    requireRank(n, x, 3, 4);
    int[] kernel = kernel(n, x, w);
    int group = (int) n.intAttr("group", 1);
    if (group < 1 || x[1] % group != 0 || w[0] % group != 0 || w[1] * group != x[1]) {
      throw new CondenseException("node " + n.label() + ": input has " + x[1] + " channels, weight "
          + Arrays.toString(w) + " with group=" + group + " does not fit");
    }
    if (in.size() > 2 && in.get(2) != null && (in.get(2).rank() != 1 || in.get(2).dim(0) != w[0])) {
      throw new CondenseException("node " + n.label() + ": bias shape " + in.get(2)
          + " does not match " + w[0] + " output channels");
    }
    ConvGeometry g = ConvGeometry.of(n, Arrays.copyOfRange(x, 2, x.length), kernel, false);
    int[] out = new int[x.length];
    out[0] = x[0];
    out[1] = w[0];
    System.arraycopy(g.out(), 0, out, 2, g.rank());
    return List.of(ValueType.floats(out));
  }

  /**
   * The spatial kernel of weight {@code w} for input {@code x}, checked against the input's rank
   * and the kernel_shape attribute (Conv and ConvTranspose).
   */
  static int[] kernel(Node n, int[] x, int[] w) {
    if (w.length != x.length) {
      throw new CondenseException("node " + n.label() + ": weight rank " + w.length
          + " does not match input rank " + x.length);
    }
    int[] kernel = Arrays.copyOfRange(w, 2, w.length);
    long[] ks = n.intsAttr("kernel_shape", null);
    if (ks != null && !Arrays.equals(Arrays.stream(ks).mapToInt(Math::toIntExact).toArray(), kernel)) {
      throw new CondenseException("node " + n.label() + ": kernel_shape " + Arrays.toString(ks)
          + " does not match weight " + Arrays.toString(w));
    }
    return kernel;
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.CONVOLUTION;
  }

  /** Each output element sums C/group × kernel products. */
  @Override
  public long multiplyAdds(Node n, ShapeInference.Result shapes) {
    return MultiplyAdds.perWeightRow(shapes.type(n.output(0)), shapes.type(n.input(1)).shape());
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
    return kernels.convolution(n);
  }
}
