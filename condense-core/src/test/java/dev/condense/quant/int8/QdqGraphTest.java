package dev.condense.quant.int8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxWriter;
import dev.condense.zoo.NetBuilder;
import dev.condense.zoo.OrtReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QDQ writer's layout in the file: weight and bias Dequantizes without the optional zero point
 * (ONNX Runtime computes exactly what it computed with explicit zeros), activation Quantize and
 * Dequantize with theirs, and the short counter names of what it adds — unique even where the
 * float graph uses such names itself, the float graph's own names kept.
 */
class QdqGraphTest {
  private static final int[] SAMPLE = {1, 28, 28};

  @TempDir
  Path dir;

  private static Int8Quantizer.Result lenet5() {
    return QdqProbe.quantize(Int8QuantizerTest.lenet5(), QdqProbe.images("cal", 32, SAMPLE, 3));
  }

  @Test
  void weightAndBiasDequantizesHaveNoZeroPointAndActivationsKeepTheirs() {
    Int8Quantizer.Result q = lenet5();
    Graph g = q.model().graph();
    Set<String> dequantize = Set.copyOf(q.dequantizeNodes());
    int constant = 0;
    for (Node n : g.nodes()) {
      if (dequantize.contains(n.name()) && g.isInitializer(n.input(0))) {
        constant++;
        Node layer = g.consumers(n.output(0)).get(0);
        boolean gemmWeight = layer.opType().equals("Gemm") && layer.input(1).equals(n.output(0));
        // ONNX Runtime 1.29 fuses a Gemm only with its weight's zero point (the test below)
        assertThat(n.inputs()).as(n.name() + " of " + layer.name()).hasSize(gemmWeight ? 3 : 2);
        if (gemmWeight) {
          assertThat(g.initializer(n.input(2)).dtype()).isEqualTo(DType.INT8);
          assertThat(g.initializer(n.input(2)).toLongs()).containsOnly(0L);
        }
        assertThat(g.initializer(n.input(0)).dtype()).as(n.name()).isIn(DType.INT8, DType.INT32);
      } else if (n.opType().endsWith("QuantizeLinear")) {
        assertThat(n.inputs()).as(n.name()).hasSize(3);
        assertThat(g.initializer(n.input(2)).dtype()).as(n.name() + "'s zero point").isEqualTo(DType.UINT8);
      }
    }
    assertThat(constant).as("LeNet-5's four weights and four biases").isEqualTo(8);
  }

  @Test
  void onnxRuntimeComputesBitForBitWhatTheExplicitZeroPointsGave() throws Exception {
    Model m = lenet5().model();
    Model explicit = withExplicitZeroPoints(m);
    assertThat(OnnxWriter.toBytes(explicit).length).isGreaterThan(OnnxWriter.toBytes(m).length);
    float[] x = new float[16 * 28 * 28];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 3 - 0.5); // beyond the calibrated [0, 1]: the saturating paths too
    }
    int[] shape = {16, 1, 28, 28};
    float[] now = OrtReference.run(m, x, shape);
    float[] before = OrtReference.run(explicit, x, shape);
    assertThat(now).hasSize(160).containsExactly(before);
  }

  @Test
  void withoutTheGemmWeightsZeroPointOnnxRuntimeLeavesTheGemmInFloat() throws Exception {
    // why Gemm.integerWeightNeedsZeroPoint: the optional input left out, ONNX Runtime 1.29 does not fuse it
    Int8Quantizer.Result q = lenet5();
    Graph g = q.model().graph();
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      boolean gemmWeight = n.hasInput(2) && g.isInitializer(n.input(0))
          && g.initializer(n.input(0)).dtype() == DType.INT8 && n.opType().equals("DequantizeLinear");
      nodes.add(gemmWeight ? new Node(n.name(), n.opType(), n.inputs().subList(0, 2), n.outputs(), n.attributes()) : n);
    }
    Model without = q.model().withGraph(g.withNodes(nodes));
    Int8Quantizer.Result r = new Int8Quantizer.Result(without, q.ranges(), q.layerMacs(), q.quantizeNodes(),
        q.dequantizeNodes(), q.integers(), q.calibrated());
    QdqProbe.Outcome o = QdqProbe.run(without, QdqProbe.images("test", 4, SAMPLE, 4), dir);
    assertThat(IntegerKernels.of(r, List.of("input"), o.optimized()).floatNodes()).containsExactly("Gemm ip1", "Gemm ip2");
    QdqProbe.Outcome fused = QdqProbe.run(q.model(), QdqProbe.images("test", 4, SAMPLE, 4), dir);
    assertThat(IntegerKernels.of(q, List.of("input"), fused.optimized()).floatNodes()).isEmpty();
  }

  /** The model with a zero point of zeros (the initializer's type, one per scale) on every Dequantize that has none. */
  static Model withExplicitZeroPoints(Model m) {
    Graph g = m.graph();
    Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (!n.opType().equals("DequantizeLinear") || n.hasInput(2)) {
        nodes.add(n);
        continue;
      }
      Tensor integers = g.initializer(n.input(0));
      Tensor scale = g.initializer(n.input(1));
      String zero = n.input(0) + "/explicit_zero_point";
      inits.put(zero, integers.dtype() == DType.INT32 ? Tensor.ofInts(new int[scale.size()], scale.shape())
          : Tensor.ofBytes(integers.dtype(), new byte[scale.size()], scale.shape()));
      nodes.add(new Node(n.name(), n.opType(), List.of(n.input(0), n.input(1), zero), n.outputs(), n.attributes()));
    }
    return m.withGraph(g.withNodes(nodes).withInitializers(inits));
  }

  @Test
  void addedNamesAreShortCountersAndTheFloatGraphKeepsItsOwn() {
    Model m = Int8QuantizerTest.lenet5();
    Int8Quantizer.Result q = lenet5();
    Graph g = q.model().graph();
    Set<String> own = new HashSet<>();
    m.graph().nodes().forEach(n -> own.add(n.name()));
    Set<String> added = new HashSet<>(q.quantizeNodes());
    added.addAll(q.dequantizeNodes());
    for (Node n : g.nodes()) {
      assertThat(added.contains(n.name()) || own.contains(n.name())).as(n.name()).isTrue();
      if (added.contains(n.name())) {
        boolean quantize = n.opType().equals("QuantizeLinear");
        assertThat(n.name()).matches(quantize ? "Q\\d+" : "D\\d+");
        // a Quantize reads a float value of the graph (or f0, the output's before its Quantize)
        n.inputs().subList(quantize ? 1 : 0, n.inputs().size())
            .forEach(v -> assertThat(v).as("input of " + n.name()).matches("[qszwb]\\d+"));
        assertThat(n.output(0)).as("output of " + n.name()).matches(quantize ? "q\\d+" : "d\\d+|" + m.graph().outputs().get(0).name());
      }
    }
    g.nodes().stream().filter(n -> !added.contains(n.name())).forEach(n -> own.remove(n.name()));
    assertThat(own).as("float nodes missing from the QDQ graph").isEmpty();
    assertThat(q.quantizeNodes()).first().isEqualTo("Q0");
  }

  @Test
  void theFloatGraphsNamesAreNeverReusedAndOnnxRuntimeStillFusesEverything() throws Exception {
    // every node and value named like something the writer would add
    NetBuilder b = new NetBuilder("collide", "q0", SAMPLE, 5);
    String x = b.relu("Q0", b.conv("s0", "q0", 6, 5, 1, 0));
    x = b.maxPool("d0", x, 2, 2);
    x = b.relu("w0", b.conv("D0", x, 8, 5, 1, 0));
    x = b.flatten("z0", b.maxPool("b1", x, 2, 2));
    x = b.relu("q1", b.gemm("b0", x, 32));
    Model m = Model.of(b.build(b.gemm("f0", x, 10), 10));
    Int8Quantizer.Result q = QdqProbe.quantize(m, QdqProbe.images("cal", 32, SAMPLE, 3));
    Graph g = q.model().graph();
    Set<String> nodeNames = new HashSet<>();
    Set<String> produced = new HashSet<>(g.initializers().keySet());
    g.inputs().forEach(v -> produced.add(v.name()));
    for (Node n : g.nodes()) {
      assertThat(nodeNames.add(n.name())).as("node name " + n.name() + " once").isTrue();
      n.outputs().forEach(v -> assertThat(produced.add(v)).as("value " + v + " written once").isTrue());
    }
    for (Node n : m.graph().nodes()) {
      assertThat(g.node(n.name()).opType()).isEqualTo(n.opType());
    }
    assertThat(q.quantizeNodes()).doesNotContain("Q0").contains("Q1");
    assertThat(g.node("Q0").opType()).isEqualTo("Relu");
    assertThat(g.isGraphOutput("f0")).isTrue();
    QdqProbe.Outcome o = QdqProbe.run(q.model(), QdqProbe.images("test", 8, SAMPLE, 4), dir);
    FusionCheck.require(q, List.of("q0"), o.optimized(), "collide.onnx");
    IntegerKernels k = IntegerKernels.of(q, List.of("q0"), o.optimized());
    assertThat(k.share()).as(k.line()).isEqualTo(1.0);
    assertThat(k.quantizeLeft()).isEqualTo(1);
    assertThat(k.dequantizeLeft()).isEqualTo(1);
  }
}
