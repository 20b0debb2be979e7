package dev.condense.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckerTest {

  /** y = x · Wᵀ + b with W [300, 784], as a LeNet-300-100 first layer. */
  private static Graph.Builder fc1(int inputWidth, boolean withWeight) {
    Graph.Builder b = new Graph.Builder("mlp")
        .input(ValueInfo.batched("x", inputWidth))
        .output(ValueInfo.batched("y", 300))
        .initializer("fc1.bias", Tensor.zeros(DType.FLOAT, 300))
        .node(new Node("fc1", "Gemm", List.of("x", "fc1.weight", "fc1.bias"), List.of("y"),
            Map.of("transB", new Attribute.IntAttr(1))));
    if (withWeight) {
      b.initializer("fc1.weight", Tensor.zeros(DType.FLOAT, 300, 784));
    }
    return b;
  }

  private static Model withOpset(Graph g, long opset) {
    return new Model(g, 7, Map.of("", opset), "test", "", "", Map.of());
  }

  @Test
  void aConsistentModelPasses() {
    assertThatCode(() -> ModelChecker.check(Model.of(fc1(784, true).build()), "mlp.onnx"))
        .doesNotThrowAnyException();
  }

  /** fc1 followed by Softmax, whose definition changed at opset 13. */
  private static Graph withSoftmax() {
    return fc1(784, true).node(new Node("prob", "Softmax", List.of("y"), List.of("p")))
        .output(ValueInfo.batched("p", 300)).build();
  }

  @Test
  void anOpInItsOldFormIsReadOnlyAfterNormalisation() {
    assertThatThrownBy(() -> ModelChecker.check(withOpset(withSoftmax(), 11), "mlp.onnx"))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("mlp.onnx: the model holds ops in their opset-11 form");
    Model read = ModelChecker.normalizeAndCheck(withOpset(withSoftmax(), 11), "mlp.onnx");
    assertThat(read.opset()).as("declared in the normalised form's opset").isEqualTo(13);
    assertThat(read.graph().node("prob").intAttr("axis", 0)).as("rank 2, axis 1 is the last").isEqualTo(-1);
    assertThatThrownBy(() -> ModelChecker.normalizeAndCheck(withOpset(fc1(784, true).build(), 5), "mlp.onnx"))
        .hasMessage("mlp.onnx: node 'fc1' (Gemm -> y): Gemm at opset 5 has a definition Condense does not"
            + " implement (it needs opset 6 or later; re-export with opset_version=13)");
  }

  @Test
  void everyUnsupportedOpAndVersionIsNamedWithItsNodeAndOpset() {
    Graph g = new Graph.Builder("g").input(ValueInfo.batched("x", 4, 4)).output(ValueInfo.batched("y", 4, 4))
        .node(new Node("up", "Upsample", List.of("x"), List.of("u")))
        .node(new Node("bn", "BatchNormalization", List.of("u", "s", "b", "m", "v"), List.of("h"),
            Map.of("spatial", new Attribute.IntAttr(0))))
        .node(new Node("nms", "NonMaxSuppression", List.of("h"), List.of("y")))
        .build();
    assertThatThrownBy(() -> ModelChecker.normalizeAndCheck(withOpset(g, 7), "m.onnx"))
        .hasMessageStartingWith("m.onnx: node 'up' (Upsample -> u): Upsample at opset 7: no scales given")
        .hasMessageContaining("all unsupported ops in the model: BatchNormalization at opset 7, NonMaxSuppression,"
            + " Upsample at opset 7 (")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Graph bn = new Graph.Builder("g").input(ValueInfo.batched("u", 4, 4)).output(ValueInfo.batched("h", 4, 4))
        .node(g.node("bn")).build();
    assertThatThrownBy(() -> ModelChecker.runnable(withOpset(bn, 7)))
        .hasMessage("node 'bn' (BatchNormalization -> h): BatchNormalization at opset 7: spatial=0 (statistics"
            + " per activation, not per channel) is not supported");
  }

  @Test
  void opsetsAndIrVersionsNewerThanCondenseKnowsAreRefusedNamingTheVersion() {
    assertThatThrownBy(() -> ModelChecker.check(withOpset(fc1(784, true).build(), 30), "mlp.onnx"))
        .hasMessage("mlp.onnx: opset 30 is newer than Condense knows (it reads opsets up to 21; re-export with"
            + " opset_version=21 or older)");
    Model newIr = new Model(fc1(784, true).build(), 99, Map.of("", 13L), "test", "", "", Map.of());
    assertThatThrownBy(() -> ModelChecker.check(newIr, "mlp.onnx"))
        .hasMessage("mlp.onnx: IR version 99 is newer than Condense knows (it reads IR versions up to 11)");
    assertThatCode(() -> ModelChecker.check(withOpset(fc1(784, true).build(), 21), "mlp.onnx"))
        .doesNotThrowAnyException();
  }

  @Test
  void anOlderOpsetWhoseOpsAreUnchangedIsAccepted() {
    assertThatCode(() -> ModelChecker.check(withOpset(fc1(784, true).build(), 11), "mlp.onnx"))
        .doesNotThrowAnyException();
  }

  @Test
  void aModelWithoutTheDefaultDomainIsRefused() {
    Model m = new Model(fc1(784, true).build(), 8, Map.of("com.example", 1L), "", "", "", Map.of());
    assertThatThrownBy(() -> ModelChecker.check(m, "mlp.onnx"))
        .hasMessageStartingWith("mlp.onnx: the model imports no opset of the default ONNX domain");
  }

  @Test
  void laterOpsetsAreAccepted() {
    assertThatCode(() -> ModelChecker.check(withOpset(fc1(784, true).build(), 17), "mlp.onnx"))
        .doesNotThrowAnyException();
  }

  @Test
  void unsupportedOpIsNamedWithItsNode() {
    Graph g = new Graph.Builder("g").input(ValueInfo.batched("x", 4)).output(ValueInfo.batched("y", 4))
        .node(new Node("nms1", "NonMaxSuppression", List.of("x"), List.of("h")))
        .node(new Node("roi", "RoiAlign", List.of("h"), List.of("g")))
        .node(new Node("relu", "Relu", List.of("g"), List.of("y")))
        .build();
    assertThatThrownBy(() -> ModelChecker.check(Model.of(g), "rnn.onnx"))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("rnn.onnx: unsupported op 'NonMaxSuppression' at node 'nms1' (NonMaxSuppression -> h)")
        .hasMessageContaining("all unsupported ops in the model: NonMaxSuppression, RoiAlign")
        .hasMessageContaining("Condense supports")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void runTimeTransposeIsAcceptedAndEveryLoadTimeOnlyNodeOnRunTimeValuesIsNamed() {
    // A run-time Transpose and Gather now run; Cast and ConstantOfShape of run-time floats do not.
    Graph runs = new Graph.Builder("g").input(ValueInfo.batched("x", 4, 3)).output(ValueInfo.batched("y", 3))
        .initializer("i", Tensor.ofLongs(new long[] {0}, new int[0]))
        .node(new Node("t", "Transpose", List.of("x"), List.of("xt"), Map.of("perm",
            new Attribute.IntsAttr(new long[] {0, 2, 1}))))
        .node(new Node("g", "Gather", List.of("xt", "i"), List.of("y"), Map.of("axis",
            new Attribute.IntAttr(1))))
        .build();
    assertThatCode(() -> ModelChecker.check(Model.of(runs), "t.onnx")).doesNotThrowAnyException();
    Graph g = new Graph.Builder("g").input(ValueInfo.batched("x", 4)).output(ValueInfo.batched("y", 4))
        .node(new Node("c1", "Cast", List.of("x"), List.of("a"), Map.of("to",
            new Attribute.IntAttr(7))))
        .node(new Node("c2", "ConstantOfShape", List.of("a"), List.of("b")))
        .node(new Node("relu", "Relu", List.of("x"), List.of("y")))
        .build();
    assertThatThrownBy(() -> ModelChecker.check(Model.of(g), "m.onnx"))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("m.onnx: Condense supports Cast, ConstantOfShape on constant inputs only")
        .hasMessageContaining("'c1' (Cast -> a), 'c2' (ConstantOfShape -> b)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void missingInitializerIsNamedWithItsUser() {
    assertThatThrownBy(() -> ModelChecker.check(Model.of(fc1(784, false).build()), "mlp.onnx"))
        .isInstanceOf(CondenseException.class)
        .hasMessage("mlp.onnx: missing initializer or input 'fc1.weight' used by node 'fc1' (Gemm -> y)");
  }

  @Test
  void shapeMismatchIsReported() {
    assertThatThrownBy(() -> ModelChecker.check(Model.of(fc1(100, true).build()), "mlp.onnx"))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith("mlp.onnx: node 'fc1' (Gemm -> y): shape mismatch")
        .hasMessageContaining("100")
        .hasMessageContaining("784");
  }

  @Test
  void loadReadsAndChecks(@TempDir Path dir) {
    Path file = dir.resolve("old.onnx");
    OnnxWriter.write(withOpset(withSoftmax(), 11), file);
    assertThat(OnnxReader.read(file).opset()).isEqualTo(11);
    Model loaded = OnnxReader.load(file);
    assertThat(loaded.opset()).as("normalised at load").isEqualTo(13);
    assertThatCode(() -> ModelChecker.check(loaded, "loaded")).doesNotThrowAnyException();
  }
}
