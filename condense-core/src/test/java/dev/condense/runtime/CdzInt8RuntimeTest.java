package dev.condense.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.DataSplit;
import dev.condense.data.Dataset;
import dev.condense.engine.Constraints;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.format.CdzFile;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxWriter;
import dev.condense.quant.int8.Int8Quantizer;
import dev.condense.quant.int8.QdqLookup;
import dev.condense.zoo.LeNet;
import dev.condense.zoo.OrtReference;
import dev.condense.zoo.ResNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An INT8 (QDQ) model written as .cdz keeps its weights int8 and its biases int32, and the .cdz
 * runtime runs its Conv and Gemm layers on integers (QLinearConv): its logits are ONNX Runtime's
 * on the same QDQ file (trained LeNet-5 and a trained ResNet with BatchNorm and residual Adds).
 */
class CdzInt8RuntimeTest {
  static final DataSplit DATA = CdzRuntimeTest.DATA;

  @TempDir
  Path dir;

  static Model trained(Model m, int images) {
    try (Engine e = new CpuEngine(2); Session s = e.open(m)) {
      s.train(DATA.train().head(images), TrainConfig.defaults().withEpochs(1).withLr(0.02), Constraints.NONE, null,
          Progress.NONE);
      return s.export();
    }
  }

  static Model quantized(Model m) {
    try (Engine e = new CpuEngine(2)) {
      return Int8Quantizer.defaults().quantize(m, e, DATA.train().slice(3000, 3256), Progress.NONE).model();
    }
  }

  @Test
  void lenet5RunsOnIntegersAsOnnxRuntimeDoes() throws Exception {
    Model q = quantized(trained(Model.of(LeNet.lenet5(new int[] {1, 28, 28}, 10, 1)), 3000));
    check(q, 4, 300);
  }

  @Test
  void aResNetWithBatchNormAndResidualAddsRunsOnIntegersAsOnnxRuntimeDoes() throws Exception {
    Model q = quantized(trained(Model.of(ResNet.cifar(8, true, new int[] {1, 28, 28}, 10, 0.5, 2)), 1000));
    check(q, 10, 100);
  }

  private void check(Model qdq, int layers, int samples) throws Exception {
    Path cdz = dir.resolve("m.cdz");
    CdzFile.write(qdq, cdz, CdzFile.Options.defaults());
    long onnxBytes = OnnxWriter.toBytes(qdq).length;
    // the integers stored as they are (a float expansion would be ~4×); a .cdz section's framing (name,
    // lengths, CRC) costs a few bytes more per tensor than ONNX's, which a small model's many scalars show
    assertThat(Files.size(cdz)).as(".cdz beside the INT8 ONNX file").isLessThan(onnxBytes * 21 / 20);
    Model read = CdzFile.read(cdz);
    for (Node n : qdq.graph().nodes()) { // each layer's weight and bias read back as the integers they were
      if (n.opType().equals("Conv") || n.opType().equals("Gemm")) {
        assertThat(QdqLookup.integersOf(read.graph(), n.name(), 1).dtype()).as(n.name()).isEqualTo(DType.INT8);
        if (n.hasInput(2)) {
          assertThat(QdqLookup.integersOf(read.graph(), n.name(), 2).dtype()).as(n.name()).isEqualTo(DType.INT32);
        }
      }
    }
    Dataset test = DATA.test().head(samples);
    float[] x = new float[samples * test.sampleSize()];
    test.fill(null, 0, samples, x, new int[samples]);
    int[] shape = {samples, 1, 28, 28};
    float[] ort = OrtReference.run(qdq, x, shape);
    float[] ours;
    try (CdzRuntime r = CdzRuntime.open(cdz, 2)) {
      assertThat(r.integerLayers()).as("layers run on integers").hasSize(layers);
      ours = r.run(Map.of(qdq.graph().inputs().get(0).name(), Tensor.of(x, shape))).values().iterator().next().floats();
    }
    float step = QdqLookup.outputScale(qdq.graph(), qdq.graph().outputs().get(0).name());
    int agree = 0;
    double max = 0;
    for (int s = 0; s < samples; s++) {
      agree += argmax(ort, s) == argmax(ours, s) ? 1 : 0;
      for (int c = 0; c < 10; c++) {
        max = Math.max(max, Math.abs(ort[s * 10 + c] - ours[s * 10 + c]));
      }
    }
    assertThat((double) agree / samples).as("top-1 agreement with ONNX Runtime").isGreaterThanOrEqualTo(0.99);
    assertThat(max).as("largest logit difference, in output steps of " + step).isLessThanOrEqualTo(2.0 * step);
  }

  private static int argmax(float[] x, int sample) {
    int best = 0;
    for (int c = 1; c < 10; c++) {
      best = x[sample * 10 + c] > x[sample * 10 + best] ? c : best;
    }
    return best;
  }
}
