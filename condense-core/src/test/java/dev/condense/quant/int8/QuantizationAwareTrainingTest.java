package dev.condense.quant.int8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.ImageSet;
import dev.condense.data.Normalization;
import dev.condense.engine.Constraints;
import dev.condense.engine.Evaluation;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.zoo.NetBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantization-aware training on a small conv net trained on noisy class prototypes: the
 * fake-quantized form computes the post-training model exactly, its loss falls, the exported QDQ
 * model gives in ONNX Runtime the engine's fake-quantized predictions with every multiply-add in
 * integer kernels, and where a deliberately coarse calibration (activations clipped at their
 * median) costs post-training accuracy, one epoch of QAT wins most of it back.
 */
class QuantizationAwareTrainingTest {
  private static final int[] SAMPLE = {1, 12, 12};
  private static ImageSet train;
  private static ImageSet test;
  private static Model trained;

  @TempDir
  Path dir;

  /** Ten random prototypes of 12×12 pixels; a sample is one of them with uniform noise of ±160. */
  static ImageSet prototypes(String name, int n, long seed) {
    SplittableRandom protos = new SplittableRandom(7);
    int size = SAMPLE[1] * SAMPLE[2];
    int[][] p = new int[10][size];
    for (int[] proto : p) {
      for (int i = 0; i < size; i++) {
        proto[i] = protos.nextInt(256);
      }
    }
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[n * size];
    int[] labels = new int[n];
    for (int s = 0; s < n; s++) {
      int k = r.nextInt(10);
      labels[s] = k;
      for (int i = 0; i < size; i++) {
        px[s * size + i] = (byte) Math.max(0, Math.min(255, p[k][i] + r.nextInt(321) - 160));
      }
    }
    return new ImageSet(name, px, labels, SAMPLE[0], SAMPLE[1], SAMPLE[2], 10, Normalization.MNIST);
  }

  private static TrainConfig config(int epochs, double lr) {
    return new TrainConfig(epochs, 64, lr, 0.9, 5e-4, LrSchedule.parse("cosine"), 1);
  }

  @BeforeAll
  static void trainFloat() {
    NetBuilder b = new NetBuilder("small", "input", SAMPLE, 3);
    String x = b.relu("relu1", b.conv("conv1", "input", 8, 3, 1, 1));
    x = b.flatten("flatten", b.maxPool("pool1", x, 2, 2));
    Model m = Model.of(b.build(b.gemm("fc", x, 10), 10));
    train = prototypes("train", 2000, 1);
    test = prototypes("test", 1000, 2);
    try (CpuEngine e = new CpuEngine(1); Session s = e.open(m)) {
      s.train(train, config(2, 0.01), Constraints.NONE, null, Progress.NONE);
      trained = s.export();
    }
  }

  private static Int8Quantizer.Result ptq(String calibrate, CpuEngine e) {
    return new Int8Quantizer(Int8Quantizer.observers(calibrate, "calibrate"), 256, DType.UINT8, 64)
        .quantize(trained, e, train, Progress.NONE);
  }

  private static float[] logits(CpuEngine e, Model m, ImageSet d) {
    float[] x = new float[d.size() * d.sampleSize()];
    d.fill(null, 0, d.size(), x, new int[d.size()]);
    try (Session s = e.open(m)) {
      Map<String, Tensor> out = s.run(Map.of("input", Tensor.of(x, d.size(), SAMPLE[0], SAMPLE[1], SAMPLE[2])));
      return out.values().iterator().next().floatsCopy();
    }
  }

  @Test
  void theFakeQuantizedFormComputesThePostTrainingModelExactly() {
    try (CpuEngine e = new CpuEngine(1)) {
      Int8Quantizer.Result q = ptq("minmax", e);
      FakeQuantForm form = FakeQuantForm.of(q);
      String conv1 = QdqLookup.dequantizeOf(q.model().graph(), "conv1", 1).input(0);
      String fc = QdqLookup.dequantizeOf(q.model().graph(), "fc", 1).input(0);
      assertThat(form.weights()).containsOnly(Map.entry(conv1 + "/float", conv1), Map.entry(fc + "/float", fc));
      assertThat(form.biases()).hasSize(2);
      ImageSet head = prototypes("head", 64, 3);
      assertThat(logits(e, form.trainable(), head)).containsExactly(logits(e, q.model(), head));
      // untrained, the export is the post-training model itself, integer for integer
      Model back = form.export(form.trainable());
      assertThat(back.graph().initializers()).containsOnlyKeys(q.model().graph().initializers().keySet());
      q.model().graph().initializers().forEach((name, t) -> {
        Tensor b = back.graph().initializer(name);
        assertThat(b.dtype()).as(name).isEqualTo(t.dtype());
        if (t.dtype() == DType.FLOAT) {
          assertThat(b.floats()).as(name).containsExactly(t.floats());
        } else {
          assertThat(b.toLongs()).as(name).containsExactly(t.toLongs());
        }
      });
    }
  }

  @Test
  void theLossFallsUnderFakeQuantization() {
    try (CpuEngine e = new CpuEngine(1)) {
      QuantizationAwareTraining.Result r = new QuantizationAwareTraining(config(3, 0.001))
          .train(ptq("percentile=50", e), e, train, null, Progress.NONE);
      List<TrainHistory.Epoch> epochs = r.history().epochs();
      assertThat(epochs).hasSize(3);
      assertThat(epochs.get(2).trainLoss()).isLessThan(epochs.get(0).trainLoss());
      assertThat(QdqLookup.integersOf(r.model().graph(), "conv1", 1).dtype()).isEqualTo(DType.INT8);
    }
  }

  @Test
  void qatWinsBackWhatACoarseCalibrationLostAndOnnxRuntimeGivesItsPredictionsInIntegerKernels() throws Exception {
    try (CpuEngine e = new CpuEngine(1)) {
      Int8Quantizer.Result q = ptq("percentile=50", e);
      double floatTop1 = top1(e, trained);
      double ptqTop1 = top1(e, q.model());
      QuantizationAwareTraining.Result r = new QuantizationAwareTraining(config(1, 0.001)).train(q, e, train, null, Progress.NONE);
      double qatTop1 = top1(e, r.model());
      assertThat(ptqTop1).as("the coarse calibration costs accuracy").isLessThan(floatTop1 - 0.3);
      assertThat(qatTop1).as("QAT after PTQ's %.3f", ptqTop1).isGreaterThan(ptqTop1 + 0.2);

      ImageSet head = prototypes("head", 200, 4);
      QdqProbe.Outcome o = QdqProbe.run(r.model(), head, dir);
      IntegerKernels k = IntegerKernels.of(q, List.of("input"), o.optimized());
      assertThat(k.share()).as(k.line()).isEqualTo(1.0);
      float[] fake = logits(e, r.fakeQuantized(), head);
      int agree = 0;
      for (int s = 0; s < head.size(); s++) {
        agree += argmax(o.ort(), s) == argmax(fake, s) ? 1 : 0;
      }
      assertThat(agree).as("ONNX Runtime's predictions that are the fake-quantized engine's").isGreaterThanOrEqualTo(198);
    }
  }

  private static double top1(CpuEngine e, Model m) {
    try (Session s = e.open(m)) {
      Evaluation ev = s.evaluate(test, 256, Progress.NONE);
      return ev.top1();
    }
  }

  private static int argmax(float[] x, int sample) {
    int best = 0;
    for (int c = 1; c < 10; c++) {
      best = x[sample * 10 + c] > x[sample * 10 + best] ? c : best;
    }
    return best;
  }
}
