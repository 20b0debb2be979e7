package dev.condense.quant.int8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.data.ImageSet;
import dev.condense.graph.DType;
import dev.condense.graph.Graph;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.zoo.LeNet;
import dev.condense.zoo.NetBuilder;
import dev.condense.zoo.ResNet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QDQ models of LeNet-5 and a ResNet (BatchNorm, residual Add, global pooling) in ONNX
 * Runtime: every layer fused into an integer kernel (only the input's Quantize and the output's
 * Dequantize left), and its logits those of the engine's simulation of the same file.
 */
class Int8QuantizerTest {
  @TempDir
  Path dir;

  static Model lenet5() {
    return Model.of(LeNet.lenet5(new int[] {1, 28, 28}, 10, 1));
  }

  static Model resnet8() {
    return Model.of(ResNet.cifar(8, true, new int[] {3, 16, 16}, 10, 0.5, 2));
  }

  @Test
  void lenet5RunsEntirelyInIntegerKernelsAndAgreesWithTheSimulation() throws Exception {
    check(lenet5(), new int[] {1, 28, 28});
  }

  @Test
  void aResNetWithBatchNormAndResidualAddsRunsEntirelyInIntegerKernels() throws Exception {
    check(BatchNormFoldingTest.withRandomStatistics(resnet8(), 5), new int[] {3, 16, 16});
  }

  @Test
  void slicesAndPoolsBetweenLayersKeepTheirScaleAndFuse() throws Exception {
    NetBuilder b = new NetBuilder("sliced", "input", new int[] {3, 16, 16}, 6);
    String x = b.relu("relu1", b.conv("conv1", "input", 8, 3, 1, 1));
    x = b.maxPool("pool1", b.subsample("sub", x, 2), 2, 2);
    x = b.relu("relu2", b.conv("conv2", x, 8, 3, 1, 1));
    x = b.flatten("flatten", b.avgPool("pool2", x, 2, 2));
    check(Model.of(b.build(b.gemm("fc", x, 10), 10)), new int[] {3, 16, 16});
  }

  @Test
  void optionAShortcutsPadTheIntegersAndRunEntirelyInIntegerKernels() throws Exception {
    // ONNX Runtime 1.29 has no "drop QDQ" rule for Pad: laid out between a Dequantize and a Quantize
    // it stays a float Pad (measured: bench/results/int8-sensitivity.md); on the uint8 tensor it fuses.
    Model m = BatchNormFoldingTest.withRandomStatistics(Model.of(ResNet.cifar(8, false, new int[] {3, 16, 16}, 10, 0.5, 2)), 5);
    Int8Quantizer.Result q = check(m, new int[] {3, 16, 16});
    Node pad = q.model().graph().node("layer2.0.shortcut.pad");
    assertThat(pad.input(0)).isEqualTo(q.integers().get("layer2.0.shortcut.subsample"));
    assertThat(pad.input(2)).as("the fill: the zero point of the block's input").isEqualTo(
        QdqLookup.quantizeOf(q, "layer1.0.relu2").input(2));
    assertThat(pad.output(0)).isEqualTo(q.integers().get("layer2.0.shortcut.pad"));
  }

  /** conv1 without a Relu: its zero point is not the type's lowest, and the channels Pad adds must be it. */
  static Model paddedAfterALinearConv() {
    NetBuilder b = new NetBuilder("padded", "input", new int[] {3, 16, 16}, 7);
    String x = b.padChannels("pad", b.conv("conv1", "input", 8, 3, 1, 1), 1, 1);
    x = b.relu("relu2", b.conv("conv2", x, 8, 3, 2, 1));
    return Model.of(b.build(b.gemm("fc", b.flatten("flatten", x), 10), 10));
  }

  @Test
  void aPadFillsWithTheZeroPointOfItsInput() throws Exception {
    Int8Quantizer.Result q = check(paddedAfterALinearConv(), new int[] {3, 16, 16});
    int zero = (int) q.model().graph().initializer(QdqLookup.quantizeOf(q, "conv1").input(2)).toLongs()[0];
    assertThat(zero).as("conv1's range is not one-sided").isBetween(1, 254);
  }

  @Test
  void aPadWithAnotherFillIsRefusedNamingTheNode() {
    Model m = paddedAfterALinearConv();
    Graph g = m.graph();
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      nodes.add(n.name().equals("pad") ? new Node(n.name(), n.opType(), List.of(n.input(0), n.input(1), "fill"),
          n.outputs(), n.attributes()) : n);
    }
    java.util.Map<String, Tensor> inits = new java.util.LinkedHashMap<>(g.initializers());
    inits.put("fill", Tensor.of(new float[] {0.5f}));
    Model filled = m.withGraph(g.withNodes(nodes).withInitializers(inits));
    assertThatThrownBy(() -> QdqProbe.quantize(filled, QdqProbe.images("cal", 8, new int[] {3, 16, 16}, 3)))
        .isInstanceOf(CondenseException.class).hasMessageContaining("'pad'").hasMessageContaining("fill of 0");
  }

  private Int8Quantizer.Result check(Model m, int[] sample) throws Exception {
    Int8Quantizer.Result q = QdqProbe.quantize(m, QdqProbe.images("cal", 64, sample, 3));
    QdqProbe.Outcome o = QdqProbe.run(q.model(), QdqProbe.images("test", 32, sample, 4), dir);
    IntegerKernels k = IntegerKernels.of(q, List.of(m.graph().inputs().get(0).name()), o.optimized());
    assertThat(k.floatNodes()).as(k.line()).isEmpty();
    assertThat(k.share()).isEqualTo(1.0);
    assertThat(k.totalMacs()).isGreaterThan(50_000);
    assertThat(k.quantizeLeft()).as("the input's Quantize").isEqualTo(1);
    assertThat(k.dequantizeLeft()).as("the output's Dequantize").isEqualTo(1);
    float outScale = QdqLookup.outputScale(q.model().graph(), m.graph().outputs().get(0).name());
    int agree = 0;
    double max = 0;
    for (int s = 0; s < 32; s++) {
      agree += argmax(o.ort(), s) == argmax(o.engine(), s) ? 1 : 0;
      for (int c = 0; c < 10; c++) {
        max = Math.max(max, Math.abs(o.ort()[s * 10 + c] - o.engine()[s * 10 + c]));
      }
    }
    assertThat(agree).as("top-1 agreement of ONNX Runtime and the engine").isGreaterThanOrEqualTo(31);
    assertThat(max).as("largest logit difference, in output steps").isLessThanOrEqualTo(2.0 * outScale);
    return q;
  }

  private static int argmax(float[] x, int sample) {
    int best = 0;
    for (int c = 1; c < 10; c++) {
      best = x[sample * 10 + c] > x[sample * 10 + best] ? c : best;
    }
    return best;
  }

  @Test
  void relu6ClipsAreRemovedByOnnxRuntimeLikeRelus() throws Exception {
    // MobileNetV2 exports ReLU6 as Clip(0, 6): quantized after it (range [0, ≤6], zero point 0),
    // ONNX Runtime's ClipQuantFusion drops it and the layer fuses.
    Graph g = lenet5().graph().withInitializer("six", Tensor.of(new float[] {6f})).withInitializer("zero", Tensor.of(new float[] {0f}));
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      nodes.add(n.opType().equals("Relu") ? new Node(n.name(), "Clip", List.of(n.input(0), "zero", "six"), n.outputs()) : n);
    }
    assertThat(nodes).anyMatch(n -> n.opType().equals("Clip"));
    check(lenet5().withGraph(g.withNodes(nodes)), new int[] {1, 28, 28});
  }

  @Test
  void anOpWithoutAnIntegerKernelIsRefusedNamingTheNode() {
    Graph g = lenet5().graph();
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      nodes.add(n.name().equals("relu1") ? new Node(n.name(), "Tanh", n.inputs(), n.outputs()) : n);
    }
    Model tanh = lenet5().withGraph(g.withNodes(nodes));
    assertThatThrownBy(() -> QdqProbe.quantize(tanh, QdqProbe.images("cal", 8, new int[] {1, 28, 28}, 3)))
        .isInstanceOf(CondenseException.class).hasMessageContaining("relu1").hasMessageContaining("no integer kernel");
  }

  @Test
  void aCalibrationSetOfTheWrongShapeIsRefused() {
    assertThatThrownBy(() -> QdqProbe.quantize(lenet5(), QdqProbe.images("cifar-like", 8, new int[] {3, 16, 16}, 3)))
        .isInstanceOf(CondenseException.class).hasMessageContaining("cifar-like");
  }

  @Test
  void weightsArePerChannelSymmetricInt8AndBiasesInt32AtTheProductScale() {
    Model m = lenet5();
    Int8Quantizer.Result q = QdqProbe.quantize(m, QdqProbe.images("cal", 16, new int[] {1, 28, 28}, 3));
    Graph g = q.model().graph();
    Tensor w = QdqLookup.integersOf(g, "conv1", 1);
    float[] scale = QdqLookup.scaleOf(g, "conv1", 1);
    assertThat(w.dtype()).isEqualTo(DType.INT8);
    assertThat(QdqLookup.dequantizeOf(g, "conv1", 1).inputs()).as("no zero point: 0 by default").hasSize(2);
    assertThat(QdqLookup.dequantizeOf(g, "conv1", 2).inputs()).as("no zero point: 0 by default").hasSize(2);
    float[] wf = m.graph().initializer("conv1.weight").floats();
    assertThat(scale).hasSize(20);
    long[] wq = w.toLongs();
    for (int c = 0; c < 20; c++) {
      float absMax = 0;
      long qMax = 0;
      for (int i = c * 25; i < (c + 1) * 25; i++) {
        absMax = Math.max(absMax, Math.abs(wf[i]));
        qMax = Math.max(qMax, Math.abs(wq[i]));
        assertThat(Math.abs(wq[i] * scale[c] - wf[i])).isLessThanOrEqualTo(scale[c] / 2 + 1e-7f);
      }
      assertThat(scale[c]).isEqualTo(absMax / 127);
      assertThat(qMax).isEqualTo(127);
    }
    float inputScale = g.initializer(QdqLookup.quantizeOf(q, "input").input(1)).floats()[0];
    float[] biasScale = QdqLookup.scaleOf(g, "conv1", 2);
    assertThat(QdqLookup.integersOf(g, "conv1", 2).dtype()).isEqualTo(DType.INT32);
    long[] bq = QdqLookup.integersOf(g, "conv1", 2).toLongs();
    float[] bf = m.graph().initializer("conv1.bias").floats();
    for (int c = 0; c < 20; c++) {
      assertThat(biasScale[c]).isEqualTo(inputScale * scale[c]);
      assertThat(Math.abs(bq[c] * (double) biasScale[c] - bf[c])).isLessThanOrEqualTo(biasScale[c] / 2 + 1e-9);
    }
  }
}
