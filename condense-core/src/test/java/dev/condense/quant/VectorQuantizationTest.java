package dev.condense.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.PerLayer;
import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Constraints;
import dev.condense.engine.Evaluation;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.format.CdzFile;
import dev.condense.graph.Model;
import dev.condense.ops.ShapeInference;
import dev.condense.pipeline.Pipeline;
import dev.condense.pipeline.Step;
import dev.condense.pipeline.TrainSettings;
import dev.condense.runtime.CdzRuntime;
import dev.condense.zoo.Zoo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gong et al.'s four quantizers on a trained LeNet-300-100: the coded model's subgraphs rebuild
 * exactly the reconstruction, survive .cdz (codes bit-packed) bit for bit, run in the pure-Java
 * runtime with the engine's predictions, and codebook fine-tuning helps.
 */
class VectorQuantizationTest {
  static final CpuEngine ENGINE = new CpuEngine(2);
  static final DataSplit DATA = DataSources.resolve("mnist", 2000);
  static Model trained;
  static double dense;

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  @BeforeAll
  static void train() {
    try (Session s = ENGINE.open(Zoo.create("lenet-300-100", 1))) {
      s.train(DATA.train(), new TrainConfig(3, 32, 0.05, 0.9, 5e-4, new LrSchedule.Constant(), 1), Constraints.NONE, null, Progress.NONE);
      trained = s.export();
      dense = s.evaluate(DATA.test(), 500, Progress.NONE).top1();
    }
  }

  static Model quantize(VectorQuantizer q, int fineTuneEpochs) {
    TrainSettings ft = new TrainSettings(fineTuneEpochs, 0.0005, 32, 0.9, 0, new LrSchedule.Constant(), TrainSettings.Freeze.NONE);
    return new Pipeline(ENGINE, DATA, 1, Progress.NONE, l -> { })
        .run(trained, List.of(new Step.VectorQuantize(PerLayer.all(q), false, ft))).model();
  }

  static Evaluation eval(Model m) {
    try (Session s = ENGINE.open(m)) {
      return s.evaluate(DATA.test(), 500, Progress.NONE);
    }
  }

  @Test
  void everyQuantizerRoundTripsAndRunsEverywhere() {
    for (VectorQuantizer q : List.of(new VectorQuantizer.Binary(true), new VectorQuantizer.Scalar(16),
        new VectorQuantizer.Product(4, 16, false), new VectorQuantizer.Product(7, 16, true),
        new VectorQuantizer.Residual(2, 16))) {
      Model m = quantize(q, 0);
      assertThat(m.graph().initializers()).as(q.label()).doesNotContainKey("ip1.weight").containsKey("ip1.weight.vq0.codes");
      Evaluation e = eval(m);
      assertThat(e.top1()).as(q.label()).isGreaterThan(0.3);
      byte[] cdz = CdzFile.toBytes(m, CdzFile.Options.defaults()).bytes();
      Model back = CdzFile.read(cdz, q.label());
      assertThat(back.graph().initializers()).as(q.label() + " .cdz round trip").isEqualTo(m.graph().initializers());
      Evaluation rt;
      try (CdzRuntime r = CdzRuntime.of(back, 2)) {
        rt = r.evaluate(DATA.test(), 500, Progress.NONE);
      }
      assertThat(rt.predictions()).as(q.label() + " runtime").containsExactly(e.predictions());
      // The folded subgraph is exactly the reconstruction the quantizer computed.
      var folded = ShapeInference.infer(m.graph(), Map.of()).constants().get("ip1.weight");
      assertThat(folded.shape()).containsExactly(300, 784);
    }
  }

  @Test
  void codebookFineTuningHelpsAndCodesStay() {
    VectorQuantizer pq = new VectorQuantizer.Product(8, 8, false); // 300 and 100 columns: a shorter last segment
    Model plain = quantize(pq, 0);
    Model tuned = quantize(pq, 2);
    assertThat(tuned.graph().initializer("ip1.weight.vq0.codes")).isEqualTo(plain.graph().initializer("ip1.weight.vq0.codes"));
    assertThat(tuned.graph().initializer("ip1.weight.vq0.codebook")).isNotEqualTo(plain.graph().initializer("ip1.weight.vq0.codebook"));
    assertThat(eval(tuned).top1()).isGreaterThanOrEqualTo(eval(plain).top1() - 0.005);
    Model rq = quantize(new VectorQuantizer.Residual(2, 8), 1);
    assertThat(eval(rq).top1()).isGreaterThan(0.5);
  }

  @Test
  void gongRates() {
    float[] w = new float[300 * 784];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i * 7919 % 1000) / 1000f - 0.5f;
    }
    try (var par = new dev.condense.numeric.Parallel(2)) {
      KMeans km = new KMeans(new dev.condense.numeric.Blas(new dev.condense.numeric.JavaGemm()), par);
      // k-means k=16: 32mn / (mn·4 + 32·16)
      assertThat(new VectorQuantizer.Scalar(16).quantize(w, 300, 784, 1, km).paperRate())
          .isCloseTo(32.0 * 235200 / (235200 * 4 + 512), org.assertj.core.data.Offset.offset(1e-9));
      // PQ, width 196 (s = 4 segments), k=16: 32mn / (32·k·n + m·s·log2 k)
      assertThat(new VectorQuantizer.Product(196, 16, false).quantize(w, 300, 784, 1, km).paperRate())
          .isCloseTo(32.0 * 235200 / (32.0 * 16 * 784 + 300 * 4 * 4), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(new VectorQuantizer.Residual(2, 16).quantize(w, 300, 784, 1, km).paperRate())
          .isCloseTo(32.0 * 235200 / (32.0 * 2 * 16 * 784 + 2 * 300 * 4), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(new VectorQuantizer.Binary(true).quantize(w, 300, 784, 1, km).paperRate()).isEqualTo(32);
    }
  }
}
