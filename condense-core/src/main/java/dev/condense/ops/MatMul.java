package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Broadcast;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** ONNX MatMul, NumPy semantics: 1-D operands are promoted, leading (batch) dims broadcast. */
final class MatMul implements Op {

  @Override
  public String type() {
    return "MatMul";
  }

  @Override
  public int since() {
    return 1;
  }

  @Override
  public IntegerForm integerForm() {
    return IntegerForm.LAYER; // QLinearMatMul
  }

  @Override
  public Kind kind() {
    return Kind.FULLY_CONNECTED;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 2, 2);
    int[] a = in.get(0).shape();
    int[] b = in.get(1).shape();
    if (a.length == 0 || b.length == 0) {
      throw new CondenseException("node " + n.label() + ": MatMul needs inputs of rank ≥ 1");
    }
    int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
    int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
    if (a2[a2.length - 1] != b2[b2.length - 2]) {
      throw new CondenseException("node " + n.label() + ": shape mismatch: " + in.get(0) + " times " + in.get(1));
    }
    int[] batch = Broadcast.shape(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2), n);
    List<Integer> out = new ArrayList<>();
    for (int d : batch) {
      out.add(d);
    }
    if (a.length > 1) {
      out.add(a2[a2.length - 2]);
    }
    if (b.length > 1) {
      out.add(b2[b2.length - 1]);
    }
    return List.of(ValueType.floats(out.stream().mapToInt(Integer::intValue).toArray()));
  }

  @Override
  public ChannelRule channelRule() {
    return ChannelRule.MATRIX_PRODUCT;
  }

  @Override
  public long multiplyAdds(Node n, ShapeInference.Result shapes) {
    int[] a = shapes.type(n.input(0)).shape();
    return MultiplyAdds.perSample(shapes.type(n.output(0)), a[a.length - 1]);
  }

  /** Either operand where it is a constant (a MatMul of two run-time values has no parameters). */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot == 0 || slot == 1;
  }

  @Override
  public int weightSlot() {
    return 1;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    return kernels.matMul(n);
  }
}
