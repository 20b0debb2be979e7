package dev.condense.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Graph;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.graph.ValueType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OpTableTest {

  /** The ops Condense supported before the table, with the opset each needs (the old OpSet). */
  private static final Map<String, Integer> SINCE = Map.ofEntries(
      Map.entry("Conv", 1), Map.entry("ConvTranspose", 1), Map.entry("Resize", 10), Map.entry("Gemm", 6), Map.entry("MatMul", 1), Map.entry("Add", 6),
      Map.entry("Sub", 6), Map.entry("Mul", 6), Map.entry("Div", 6), Map.entry("Relu", 6),
      Map.entry("LeakyRelu", 6), Map.entry("Clip", 6), Map.entry("Sigmoid", 6), Map.entry("Tanh", 6),
      Map.entry("MaxPool", 1), Map.entry("AveragePool", 1), Map.entry("GlobalAveragePool", 1),
      Map.entry("BatchNormalization", 6), Map.entry("Flatten", 1), Map.entry("Reshape", 5),
      Map.entry("Dropout", 6), Map.entry("Softmax", 1), Map.entry("Identity", 1), Map.entry("Concat", 4),
      Map.entry("Pad", 2), Map.entry("Slice", 1), Map.entry("ConstantOfShape", 9),
      Map.entry("Constant", 1), Map.entry("Cast", 6), Map.entry("Gather", 1), Map.entry("Einsum", 12), Map.entry("Transpose", 1),
      Map.entry("ReduceMean", 1), Map.entry("ReduceSum", 1), Map.entry("ReduceMax", 1), Map.entry("ReduceMin", 1),
      Map.entry("ReduceL2", 1), Map.entry("ReduceSumSquare", 1), Map.entry("ArgMax", 1),
      Map.entry("LayerNormalization", 17), Map.entry("InstanceNormalization", 6), Map.entry("Split", 2),
      Map.entry("Tile", 6), Map.entry("Expand", 8),
      // Element-wise ops and activations of issue 13 §1.
      Map.entry("Sqrt", 6), Map.entry("Exp", 6), Map.entry("Log", 6), Map.entry("Neg", 6), Map.entry("Abs", 6),
      Map.entry("Reciprocal", 6), Map.entry("Erf", 9), Map.entry("Sign", 9), Map.entry("Floor", 6),
      Map.entry("Ceil", 6), Map.entry("Round", 11), Map.entry("Pow", 6), Map.entry("Sum", 6), Map.entry("Mean", 6),
      Map.entry("Max", 6), Map.entry("Min", 6), Map.entry("HardSigmoid", 6), Map.entry("HardSwish", 14),
      Map.entry("Elu", 6), Map.entry("Selu", 6), Map.entry("Celu", 12), Map.entry("Softplus", 1),
      Map.entry("Softsign", 1), Map.entry("Gelu", 20), Map.entry("Mish", 18), Map.entry("PRelu", 6),
      Map.entry("LogSoftmax", 1),
      Map.entry("Shape", 1), Map.entry("Size", 1), Map.entry("Unsqueeze", 1), Map.entry("Squeeze", 1),
      Map.entry("Range", 11), Map.entry("Where", 9), Map.entry("Equal", 7), Map.entry("Greater", 7),
      Map.entry("Less", 7), Map.entry("And", 7), Map.entry("Not", 1),
      Map.entry("LSTM", 7), Map.entry("GRU", 7), Map.entry("RNN", 7),
      Map.entry("Mod", 10),
      Map.entry("ScatterND", 11),
      Map.entry("CastLike", 15),
      Map.entry("QuantizeLinear", 10), Map.entry("DequantizeLinear", 10),
      Map.entry("QLinearConv", 10));

  /** A user's op of any type: element-wise on its one input, registered without touching Condense. */
  record UserOp(String type) implements Op {
    @Override
    public int since() {
      return 14;
    }

    @Override
    public Kind kind() {
      return Kind.ELEMENTWISE_UNARY;
    }

    @Override
    public List<ValueType> infer(Node n, List<ValueType> in, Function<String, Tensor> constants) {
      NodeChecks.requireInputs(n, in, 1, 1);
      return List.of(in.get(0));
    }
  }

  @Test
  void everySupportedOpIsRegisteredWithItsOpset() {
    OpTable t = OpTable.standard();
    assertThat(t.types()).containsExactlyInAnyOrderElementsOf(SINCE.keySet());
    SINCE.forEach((type, since) -> {
      assertThat(t.find(type).type()).isEqualTo(type);
      assertThat(t.find(type).since()).as(type).isEqualTo(since);
    });
  }

  @Test
  void noOpIsDefinedTwice() {
    List<String> types = OpTable.standard().ops().stream().map(Op::type).toList();
    assertThat(types).doesNotHaveDuplicates().hasSize(SINCE.size());
  }

  @Test
  void kindsAnswerWhatPassesAsk() {
    OpTable t = OpTable.standard();
    assertThat(t.find("Conv").kind()).isEqualTo(Kind.CONVOLUTION);
    assertThat(List.of("Gemm", "MatMul")).allMatch(o -> t.find(o).kind() == Kind.FULLY_CONNECTED);
    assertThat(t.ops().stream().filter(o -> o.kind().isLayer()).map(Op::type))
        .containsExactlyInAnyOrder("Conv", "Gemm", "MatMul");
    assertThat(t.ops().stream().filter(o -> o.weightSlot() >= 0).map(Op::type))
        .containsExactlyInAnyOrder("Conv", "ConvTranspose", "Gemm", "MatMul");
    assertThat(t.ops().stream().filter(o -> o.kind().isConvolution()).map(Op::type))
        .containsExactlyInAnyOrder("Conv", "ConvTranspose");
    assertThat(t.ops().stream().filter(Op::zeroesNegatives).map(Op::type)).containsExactly("Relu");
    assertThat(t.ops().stream().filter(Op::constantOnly).map(Op::type))
        .containsExactlyInAnyOrder("Constant", "Cast", "Range", "ConstantOfShape");
    assertThat(t.ops().stream().filter(Op::decodesWeights).map(Op::type))
        .containsExactlyInAnyOrder("Constant", "Cast", "Gather", "Transpose", "Range", "ConstantOfShape", "CastLike",
            "DequantizeLinear");
    assertThat(t.ops().stream().filter(o -> o.isView(false)).map(Op::type))
        .containsExactlyInAnyOrder("Identity", "Flatten", "Reshape", "Dropout", "Unsqueeze", "Squeeze");
    assertThat(t.ops().stream().filter(o -> o.isView(true)).map(Op::type))
        .containsExactlyInAnyOrder("Identity", "Flatten", "Reshape", "Unsqueeze", "Squeeze");
    assertThat(t.find("BatchNormalization").isStatistic(3)).isTrue();
    assertThat(t.find("BatchNormalization").isStatistic(1)).isFalse();
    assertThat(t.find("Reshape").isFloatSlot(1)).isFalse();
    assertThat(((Arithmetic) t.find("Add")).math()).isEqualTo(BinaryMath.ADD);
  }

  @Test
  void aUserOpIsFoundInItsOwnTableOnly() {
    OpTable mine = OpTable.standard().with(new UserOp("Swish"));
    assertThat(mine.find("Swish")).isEqualTo(new UserOp("Swish"));
    assertThat(mine.types()).hasSize(SINCE.size() + 1);
    assertThat(OpTable.standard().find("Swish")).isNull();

    Graph g = new Graph.Builder("g")
        .input(ValueInfo.batched("x", 3, 4, 4))
        .node(new Node("hs", "Swish", List.of("x"), List.of("y")))
        .output(ValueInfo.batched("y", 3, 4, 4))
        .build();
    assertThat(ShapeInference.infer(mine, g, Map.of(), Map.of()).type("y").shape()).containsExactly(1, 3, 4, 4);
    assertThatThrownBy(() -> ShapeInference.infer(g, Map.of()))
        .isInstanceOf(CondenseException.class)
        .hasMessageContaining("unsupported op 'Swish' at node 'hs'");
  }

  @Test
  void aUserOpReplacesTheOpOfItsType() {
    Op relu = new UserOp("Relu");
    OpTable mine = OpTable.standard().with(relu);
    assertThat(mine.find("Relu")).isSameAs(relu);
    assertThat(mine.types()).hasSize(SINCE.size());
    assertThat(OpTable.standard().find("Relu")).isNotSameAs(relu);
  }
}
