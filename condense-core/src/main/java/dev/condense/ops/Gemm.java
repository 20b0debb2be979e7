package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Broadcast;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.function.Function;

/** ONNX Gemm: alpha·A′·B′ + beta·C with optional transposes; a fully connected layer when B is a weight. */
final class Gemm implements Op {

  @Override
  public String type() {
    return "Gemm";
  }

  @Override
  public int since() {
    return 6; // Gemm-6's broadcast attribute is dropped (LegacyForms): -7 always broadcasts C
  }

  @Override
  public IntegerForm integerForm() {
    return IntegerForm.LAYER; // QGemm
  }

  @Override
  public boolean integerWeightNeedsZeroPoint() {
    return true; // ONNX Runtime 1.29 leaves a QDQ Gemm in float without it (measured: quant.int8.QdqGraphTest)
  }

  @Override
  public Kind kind() {
    return Kind.FULLY_CONNECTED;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 3);
    int[] a = in.get(0).shape();
    int[] b = in.get(1).shape();
    if (a.length != 2 || b.length != 2) {
      throw new CondenseException("node " + n.label() + ": Gemm needs 2-D inputs, got " + in.get(0) + " and " + in.get(1));
    }
    for (String flag : new String[] {"transA", "transB"}) {
      long v = n.intAttr(flag, 0);
      if (v != 0 && v != 1) {
        throw new CondenseException("node " + n.label() + ": Gemm's " + flag + " is " + v + ", expected 0 or 1");
      }
    }
    boolean ta = n.intAttr("transA", 0) != 0;
    boolean tb = n.intAttr("transB", 0) != 0;
    int m = ta ? a[1] : a[0];
    int k = ta ? a[0] : a[1];
    int kb = tb ? b[1] : b[0];
    int nn = tb ? b[0] : b[1];
    if (k != kb) {
      throw new CondenseException("node " + n.label() + ": shape mismatch: A " + in.get(0) + (ta ? "ᵀ" : "")
          + " times B " + in.get(1) + (tb ? "ᵀ" : "") + " (inner sizes " + k + " and " + kb + ")");
    }
    if (in.size() > 2 && in.get(2) != null) {
      int[] c = Broadcast.shape(in.get(2).shape(), new int[] {m, nn}, n);
      if (c.length != 2 || c[0] != m || c[1] != nn) {
        throw new CondenseException("node " + n.label() + ": C " + in.get(2) + " does not broadcast to [" + m + ", " + nn + "]");
      }
    }
    return List.of(ValueType.floats(m, nn));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.FULLY_CONNECTED;
  }

  @Override
  public long multiplyAdds(Node n, ShapeInference.Result shapes) {
    int[] a = shapes.type(n.input(0)).shape();
    long k = n.intAttr("transA", 0) != 0 ? a[0] : a[1];
    return MultiplyAdds.perSample(shapes.type(n.output(0)), k);
  }

  /** A, B and C where they are constants: the matrix and the bias of a fully connected layer. */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot >= 0 && slot <= 2;
  }

  @Override
  public int weightSlot() {
    return 1;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.gemm(n);
  }
}
