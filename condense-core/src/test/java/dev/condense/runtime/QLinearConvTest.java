package dev.condense.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Attribute;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.graph.ValueInfo;
import dev.condense.onnx.OnnxReader;
import dev.condense.zoo.OrtReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The engine's QLinearConv (the integer kernel of the .cdz runtime) against ONNX's node test and
 * against ONNX Runtime's QLinearConv on strided, padded, grouped, per-channel convolutions with
 * biases, uint8 and int8 activations: the same integers, exactly.
 */
class QLinearConvTest {
  private static final Path NODE_TEST = Path.of("/usr/share/libonnx-testdata/data/node/test_qlinearconv");

  @Test
  void onnxNodeTestGivesTheExpectedIntegers() throws Exception {
    assumeTrue(Files.isDirectory(NODE_TEST), "libonnx-testdata is not installed");
    Model m = OnnxReader.read(NODE_TEST.resolve("model.onnx"));
    Path data = NODE_TEST.resolve("test_data_set_0");
    Graph g = m.graph();
    Map<String, Tensor> inits = new LinkedHashMap<>();
    Tensor x = null;
    for (int i = 0; i < g.inputs().size(); i++) {
      Tensor t = OnnxReader.readTensor(data.resolve("input_" + i + ".pb"));
      if (i == 0) {
        x = t;
      } else {
        inits.put(g.inputs().get(i).name(), t); // the parameters as constants, as a model stores them
      }
    }
    Model constants = m.withGraph(new Graph(g.name(), g.nodes(), inits, List.of(g.inputs().get(0)), g.outputs(), List.of()));
    Tensor expected = OnnxReader.readTensor(data.resolve("output_0.pb"));
    try (CpuEngine e = new CpuEngine(1); Session s = e.open(constants)) {
      Tensor y = s.run(Map.of(g.inputs().get(0).name(), x)).get(g.outputs().get(0).name());
      assertThat(y.dtype()).isEqualTo(DType.UINT8);
      assertThat(y.toLongs()).containsExactly(expected.toLongs());
    }
  }

  @Test
  void stridedPaddedGroupedPerChannelConvolutionsMatchOnnxRuntime() throws Exception {
    check(DType.UINT8, 2, 1, 1, 3, 7);
    check(DType.UINT8, 1, 2, 2, 3, 11);
    check(DType.INT8, 1, 1, 0, 1, 12);
    check(DType.INT8, 2, 2, 1, 3, 13);
  }

  /** Float input → QuantizeLinear → QLinearConv → DequantizeLinear, random parameters from {@code seed}. */
  private static void check(DType act, int stride, int group, int pad, int kernel, long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 2;
    int c = 4;
    int m = 6;
    int h = 9;
    int cg = c / group;
    byte[] w = new byte[m * cg * kernel * kernel];
    for (int i = 0; i < w.length; i++) {
      w[i] = (byte) (r.nextInt(255) - 127);
    }
    float[] ws = new float[m];
    int[] bias = new int[m];
    byte[] wz = new byte[m];
    for (int j = 0; j < m; j++) {
      ws[j] = 0.002f + 0.01f * (float) r.nextDouble();
      bias[j] = r.nextInt(-3000, 3000);
    }
    int lo = act == DType.UINT8 ? 0 : -128;
    Map<String, Tensor> inits = new LinkedHashMap<>();
    inits.put("xs", Tensor.of(new float[] {0.05f}));
    inits.put("xz", Tensor.ofBytes(act, new byte[] {(byte) (lo + 100)}));
    inits.put("w", Tensor.ofBytes(DType.INT8, w, m, cg, kernel, kernel));
    inits.put("ws", Tensor.of(ws, m));
    inits.put("wz", Tensor.ofBytes(DType.INT8, wz, m));
    inits.put("ys", Tensor.of(new float[] {0.03f}));
    inits.put("yz", Tensor.ofBytes(act, new byte[] {(byte) (lo + 70)}));
    inits.put("b", Tensor.ofInts(bias, m));
    Map<String, Attribute> attrs = new LinkedHashMap<>();
    attrs.put("strides", new Attribute.IntsAttr(new long[] {stride, stride}));
    attrs.put("pads", new Attribute.IntsAttr(new long[] {pad, pad, pad, pad}));
    attrs.put("group", new Attribute.IntAttr(group));
    List<Node> nodes = List.of(
        new Node("q", "QuantizeLinear", List.of("x", "xs", "xz"), List.of("xq")),
        new Node("conv", "QLinearConv", List.of("xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"), List.of("yq"), attrs),
        new Node("dq", "DequantizeLinear", List.of("yq", "ys", "yz"), List.of("y")));
    int o = (h + 2 * pad - kernel) / stride + 1;
    Graph g = new Graph("qlinearconv", nodes, inits, List.of(ValueInfo.batched("x", c, h, h)),
        List.of(ValueInfo.batched("y", m, o, o)), List.of());
    Model model = Model.of(g);
    float[] x = new float[n * c * h * h];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 10 - 5);
    }
    float[] ort = OrtReference.run(model, x, new int[] {n, c, h, h});
    float[] ours;
    try (CpuEngine e = new CpuEngine(2); Session s = e.open(model)) {
      ours = s.run(Map.of("x", Tensor.of(x, n, c, h, h))).get("y").floats();
    }
    assertThat(ours).as(act + " stride " + stride + " group " + group).containsExactly(ort);
  }
}
