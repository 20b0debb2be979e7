package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.engine.Session;
import dev.condense.graph.Attribute;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.ModelChecker;
import dev.condense.ops.OpTable;
import dev.condense.ops.ShapeInference;
import dev.condense.zoo.OrtReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The older forms of up-sampling read as Resize-11 (Upsample-7's scales attribute, Upsample-9's
 * and Resize-10's scales input) agree with ONNX Runtime's kernels for those opsets on the model
 * as written; a Resize of a constant folds at load; what Condense does not implement is refused
 * in one line naming the node.
 */
class UpsampleFormsTest {

  private static Model model(Node n, long opset, int[] out, Tensor scales) {
    Graph.Builder b = new Graph.Builder("g").input(ValueInfo.batched("x", 2, 3, 4)).output(ValueInfo.batched("y", out));
    if (scales != null) {
      b.initializer("scales", scales);
    }
    return new Model(b.node(n).build(), 7, Map.of("", opset), "test", "", "", Map.of());
  }

  private static void matchesOrt(Model raw, String what) throws Exception {
    Model read = ModelChecker.normalizeAndCheck(raw, what);
    assertThat(read.graph().nodes()).extracting(Node::opType).containsExactly("Resize");
    int[] shape = {2, 2, 3, 4};
    float[] x = ShapeExportsTest.random(shape, what.hashCode());
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(read)) {
      float[] ours = s.run(Map.of("x", Tensor.of(x, shape))).get("y").floats();
      ShapeExportsTest.assertClose(ours, OrtReference.run(raw, x, shape), what + " in ONNX Runtime");
    }
  }

  @Test
  void upsampleSevenNineAndResizeTenMatchOnnxRuntime() throws Exception {
    Tensor scales = Tensor.of(new float[] {1, 1, 2, 1.5f}, 4);
    Node seven = new Node("up", "Upsample", List.of("x"), List.of("y"), Map.of("mode", new Attribute.StringAttr("nearest"),
        "scales", new Attribute.FloatsAttr(new float[] {1, 1, 2, 1.5f})));
    matchesOrt(model(seven, 7, new int[] {2, 6, 6}, null), "Upsample-7 nearest");
    Node nine = new Node("up", "Upsample", List.of("x", "scales"), List.of("y"),
        Map.of("mode", new Attribute.StringAttr("linear")));
    matchesOrt(model(nine, 9, new int[] {2, 6, 6}, scales), "Upsample-9 linear");
    Node ten = new Node("rs", "Resize", List.of("x", "scales"), List.of("y"), Map.of("mode", new Attribute.StringAttr("linear")));
    matchesOrt(model(ten, 10, new int[] {2, 6, 6}, scales), "Resize-10 linear");
  }

  @Test
  void resizeOfAConstantFoldsAtLoad() {
    Graph g = new Graph.Builder("g").input(ValueInfo.batched("x", 1, 2, 4)).output(ValueInfo.batched("y", 1, 2, 4))
        // The opset-11 form PyTorch writes: an empty roi and the scales as constants (an input
        // left out, "", is not a constant to shape inference, so that form folds only at run time).
        .initializer("roi", Tensor.of(new float[0], 0))
        .initializer("scales", Tensor.of(new float[] {1, 1, 1, 2}, 4))
        .node(new Node("c", "Constant", List.of(), List.of("k"),
            Map.of("value", new Attribute.TensorAttr(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2)))))
        .node(new Node("rs", "Resize", List.of("k", "roi", "scales"), List.of("r"),
            Map.of("mode", new Attribute.StringAttr("linear"))))
        .node(new Node("add", "Add", List.of("x", "r"), List.of("y")))
        .build();
    Tensor r = ShapeInference.infer(OpTable.standard(), g, Map.of(), Map.of()).constants().get("r");
    assertThat(r).isNotNull();
    assertThat(r.shape()).containsExactly(1, 1, 2, 4);
    // half_pixel: columns 0..3 sample 0, 0.25, 0.75, 1 of [1, 2] and [3, 4].
    assertThat(r.floats()).containsExactly(1f, 1.25f, 1.75f, 2f, 3f, 3.25f, 3.75f, 4f);
  }

  @Test
  void cubicIsRefusedNamingTheNode() {
    Tensor scales = Tensor.of(new float[] {1, 1, 2, 2}, 4);
    Node cubic = new Node("rs", "Resize", List.of("x", "", "scales"), List.of("y"), Map.of("mode", new Attribute.StringAttr("cubic")));
    Model m = model(cubic, 13, new int[] {2, 6, 8}, scales);
    assertThatThrownBy(() -> {
      try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(m)) {
        s.run(Map.of("x", Tensor.of(new float[48], 2, 2, 3, 4)));
      }
    }).isInstanceOf(CondenseException.class).hasMessageContaining("node 'rs'").hasMessageContaining("mode 'cubic'")
        .hasMessageNotContaining("\n");
  }
}
