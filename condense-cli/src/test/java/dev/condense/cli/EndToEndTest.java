package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import dev.condense.engine.Constraints;
import dev.condense.engine.Evaluation;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.zoo.Zoo;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Train → export → reload → run in ONNX Runtime, on the built-in MNIST digits: the exported file
 * must give the engine's top-1 prediction on at least 99.9% of the test images. Also for a LeNet-5
 * that PyTorch defined, trained and exported (fixture made by {@code make_lenet5_pytorch.py}).
 */
class EndToEndTest {
  static final dev.condense.engine.cpu.CpuEngine ENGINE = NativeEngines.create(2);
  static final DataSplit MNIST = DataSources.builtInMnist();

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  @TempDir
  Path dir;

  /** Trains, exports, reloads; returns the engine's evaluation of the reloaded file. */
  private Evaluation trainExportReload(Model start, int epochs, Path file) {
    TrainConfig cfg = new TrainConfig(epochs, 64, 0.02, 0.9, 5e-4, new LrSchedule.Constant(), 3);
    try (Session s = ENGINE.open(start)) {
      s.train(MNIST.train(), cfg, Constraints.NONE, null, Progress.NONE);
      OnnxWriter.write(s.export(), file);
    }
    Model reloaded = OnnxReader.load(file);
    Evaluation engine;
    try (Session s = ENGINE.open(reloaded)) {
      engine = s.evaluate(MNIST.test(), 256, Progress.NONE);
    }
    Evaluation ort = OrtEvaluator.evaluate(reloaded, MNIST.test(), 256, 2, Progress.NONE);
    assertThat(engine.agreement(ort)).isGreaterThanOrEqualTo(0.999);
    assertThat(ort.top1()).isCloseTo(engine.top1(), org.assertj.core.data.Offset.offset(0.001));
    return engine;
  }

  @Test
  void lenet300100() {
    Evaluation e = trainExportReload(Zoo.create("lenet-300-100", 1), 2, dir.resolve("l300.onnx"));
    assertThat(e.top1()).isGreaterThan(0.93);
  }

  @Test
  void lenet5() {
    Evaluation e = trainExportReload(Zoo.create("lenet-5", 1), 1, dir.resolve("l5.onnx"));
    assertThat(e.top1()).isGreaterThan(0.93);
  }

  @Test
  void lenet5ExportedByPyTorchLoadsEvaluatesFineTunesAndExports() throws Exception {
    // condense-core's test fixture; inside its test jar, so copied out to be read as a file.
    Path fixture = dir.resolve("lenet5-pytorch.onnx");
    try (InputStream in = EndToEndTest.class.getResourceAsStream("/fixtures/lenet5-pytorch.onnx")) {
      Files.copy(in, fixture);
    }
    Model m = OnnxReader.load(fixture);
    assertThat(m.producerName()).isEqualTo("pytorch");
    Evaluation before;
    try (Session s = ENGINE.open(m)) {
      before = s.evaluate(MNIST.test(), 256, Progress.NONE);
    }
    assertThat(before.top1()).isGreaterThan(0.95);
    assertThat(before.agreement(OrtEvaluator.evaluate(m, MNIST.test(), 256, 2, Progress.NONE)))
        .isGreaterThanOrEqualTo(0.999);
    Evaluation after = trainExportReload(m, 1, dir.resolve("finetuned.onnx"));
    assertThat(after.top1()).isGreaterThan(before.top1() - 0.01);
  }
}
