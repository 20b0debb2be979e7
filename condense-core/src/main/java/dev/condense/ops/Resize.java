package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.DType;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Resize (the opset-11 to 19 forms; opset 10's and Upsample's are rewritten into it at
 * load): nearest (every nearest_mode) and N-linear interpolation with constant scales or sizes
 * and the coordinate transformations exporters write ({@link ResizeTaps}). The up-sampling of
 * decoders, U-Nets and feature pyramids; channels pass through it where it leaves axis 1 alone.
 */
final class Resize implements Op {

  @Override
  public String type() {
    return "Resize";
  }

  /** Opset 10's form (X, scales; asymmetric) is rewritten into opset 11's by {@link LegacyForms}. */
  @Override
  public int since() {
    return 10;
  }

  @Override
  public Kind kind() {
    return Kind.MOVEMENT;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 4);
    if (in.get(0).dtype() != DType.FLOAT) {
      throw new CondenseException("node " + n.label() + ": Resize of " + in.get(0).dtype()
          + " data is not supported (the engine computes in float32)");
    }
    return List.of(ValueType.floats(ResizeTaps.of(n, in.get(0).shape(), constants).outShape()));
  }

  @Override
  public boolean foldable(Node n, List<Tensor> in) {
    return in.get(0).dtype() == DType.FLOAT;
  }

  @Override
  public Tensor fold(Node n, List<Tensor> in) {
    Tensor x = in.get(0);
    ResizeTaps taps = ResizeTaps.of(n, x.shape(), name -> in.get(n.inputs().indexOf(name)));
    int[] shape = taps.outShape();
    float[] y = new float[Tensor.checkedNumel(shape)];
    int[] sizes = taps.workSizes();
    float[][] work = new float[sizes.length][];
    Arrays.setAll(work, i -> new float[sizes[i]]);
    taps.forward(x.floats(), y, work);
    return Tensor.of(y, shape);
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.SPATIAL;
  }

  @Override
  public String channelAxisChange(Node n, int[] x, Function<String, Tensor> constants) {
    return x.length > 1 && ResizeTaps.of(n, x, constants).outShape()[1] != x[1] ? "resized along the channel axis"
        : null;
  }

  /** Only X is data; roi, scales and sizes are constants describing the resize. */
  @Override
  public boolean isFloatSlot(int slot) {
    return slot == 0;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.resize(n);
  }
}
