package dev.condense.ops;

import static dev.condense.ops.NodeChecks.requireInputs;

import dev.condense.CondenseException;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * ONNX Einsum (opset 12) of one or two operands, as exporters write attention
 * ({@code bhqd,bhkd->bhqk}, {@code bhqk,bhkd->bhqd}), projections ({@code bij,jk->bik}) and
 * bilinear forms: the engine sums the letters one operand alone has, permutes and runs one
 * batched matrix product ({@link EinsumEquation}); backward is the same product against the
 * output's gradient. Diagonals (a letter twice in one operand) are refused.
 */
final class Einsum implements Op {

  @Override
  public String type() {
    return "Einsum";
  }

  @Override
  public int since() {
    return 12;
  }

  /** A contraction (sums over shared letters); not a layer with one prunable weight slot as MatMul is. */
  @Override
  public Kind kind() {
    return Kind.REDUCTION;
  }

  @Override
  public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
    requireInputs(n, in, 1, 2);
    List<int[]> shapes = new ArrayList<>();
    for (ValueType t : in) {
      shapes.add(t.shape());
    }
    int[] ranks = shapes.stream().mapToInt(s -> s.length).toArray();
    return List.of(ValueType.floats(EinsumEquation.of(n, ranks).outputShape(n, shapes)));
  }

  /** Per sample, one multiply-add per element of the letter space of a two-operand product. */
  @Override
  public long multiplyAdds(Node n, ShapeInference.Result shapes) {
    if (n.inputs().size() != 2) {
      return 0;
    }
    List<int[]> s = List.of(shapes.type(n.input(0)).shape(), shapes.type(n.input(1)).shape());
    EinsumEquation eq = EinsumEquation.of(n, new int[] {s.get(0).length, s.get(1).length});
    long total = 1;
    for (int size : eq.sizes(n, s).values()) {
      total *= size;
    }
    int[] out = shapes.type(n.output(0)).shape();
    return out.length == 0 || out[0] == 0 ? total : total / out[0];
  }

  /** Either operand where it is a constant (a projection's weight). */
  @Override
  public boolean isParameterSlot(int slot) {
    return slot == 0 || slot == 1;
  }

  @Override
  public <K> K kernel(Node n, EngineKernels<K> kernels) {
    if (n.inputs().size() > 2) {
      throw new CondenseException("node " + n.label() + ": Condense computes Einsum of one or two operands");
    }
    return kernels.einsum(n);
  }
}
