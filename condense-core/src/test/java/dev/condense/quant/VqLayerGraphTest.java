package dev.condense.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.ValueInfo;
import dev.condense.numeric.Blas;
import dev.condense.numeric.JavaGemm;
import dev.condense.numeric.Parallel;
import dev.condense.ops.ShapeInference;
import dev.condense.zoo.OrtReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ONNX subgraph of every quantizer rebuilds exactly the weights the quantizer reconstructs,
 * both folded by Condense at load and run by ONNX Runtime (the independent reference), and product
 * quantization does it with one Gather per layer whatever the number of segments.
 */
class VqLayerGraphTest {
  static final int[] KERNEL = {6, 3, 3, 3}; // a conv kernel: 6 rows of 27

  static VqLayer code(VectorQuantizer q) {
    float[] w = new float[6 * 27];
    Random r = new Random(17);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    try (Parallel par = new Parallel(1)) {
      return q.quantize(w, 6, 27, 3, new KMeans(new Blas(new JavaGemm()), par));
    }
  }

  /** The subgraph alone, its output added to a zero input so that ONNX Runtime returns it. */
  static Model model(VqLayer layer) {
    VqLayer.Subgraph sg = layer.toGraph("w", KERNEL);
    List<Node> nodes = new ArrayList<>(sg.nodes());
    nodes.add(new Node("add", "Add", List.of("x", "w"), List.of("y")));
    List<ValueInfo.Dim> dims = java.util.Arrays.stream(KERNEL).mapToObj(d -> ValueInfo.Dim.of(d)).toList();
    return Model.of(new Graph("vq", nodes, sg.initializers(), List.of(new ValueInfo("x", DType.FLOAT, dims)),
        List.of(new ValueInfo("y", DType.FLOAT, dims)), List.of()));
  }

  @Test
  void everySubgraphRebuildsTheReconstructionExactly() throws Exception {
    for (VectorQuantizer q : List.of(new VectorQuantizer.Product(4, 4, false), new VectorQuantizer.Product(9, 4, false),
        new VectorQuantizer.Product(4, 8, true), new VectorQuantizer.Product(27, 2, false),
        new VectorQuantizer.Residual(3, 4), new VectorQuantizer.Scalar(5), new VectorQuantizer.Binary(true))) {
      VqLayer layer = code(q);
      Model m = model(layer);
      float[] folded = ShapeInference.infer(m.graph(), Map.of()).constants().get("w").floats();
      assertThat(folded).as(q.label() + " folded").containsExactly(layer.reconstruction());
      float[] ort = OrtReference.run(m, new float[6 * 27], KERNEL);
      assertThat(ort).as(q.label() + " in ONNX Runtime").containsExactly(layer.reconstruction());
    }
  }

  @Test
  void productQuantizationIsOneGatherPerLayer() {
    // width 4 over rows of 27: 7 segments, the last of 3 columns
    Model m = model(code(new VectorQuantizer.Product(4, 4, false)));
    long gathers = m.graph().nodes().stream().filter(n -> n.opType().equals("Gather")).count();
    assertThat(gathers).isEqualTo(1);
    assertThat(m.graph().initializer("w.vq0.codebook").shape()).containsExactly(7 * 4, 4);
    assertThat(m.graph().initializer("w.vq0.codes").shape()).containsExactly(6, 7);
    assertThat(m.graph().nodes()).hasSizeLessThanOrEqualTo(8);
  }
}
