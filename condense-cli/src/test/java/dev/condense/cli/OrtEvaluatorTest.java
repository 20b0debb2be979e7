package dev.condense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.Dataset;
import dev.condense.data.Normalization;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.blas.NativeEngines;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code condense eval --runtime ort} on a model exported at a fixed batch of 1 (the PyTorch
 * fixture of condense-engine's {@code shape/make_fixtures.py}): ONNX Runtime is fed batches of
 * the size the model declares (it refuses others with "Got invalid dimensions for input"), the
 * engine evaluates it at batch 256, and both predict the same class for every sample.
 */
class OrtEvaluatorTest {

  @Test
  void aFixedBatchModelIsEvaluatedAtItsDeclaredBatchInOnnxRuntimeAndAt256InTheEngine() throws Exception {
    Model m = OnnxReader.read(Path.of("../condense-engine/src/test/resources/shape/view_fixed_opset13.onnx"));
    int n = 300;
    byte[] pixels = new byte[n * 3 * 8 * 8];
    int[] labels = new int[n];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(5);
    }
    Dataset data = new dev.condense.data.ImageSet("random", pixels, labels, 3, 8, 8, 5, Normalization.of(127f, 64f));
    Evaluation ort = OrtEvaluator.evaluate(m, data, 256, 1, Progress.NONE);
    Evaluation engine;
    try (CpuEngine e = NativeEngines.create(1); Session s = e.open(m)) {
      engine = s.evaluate(data, 256, Progress.NONE);
    }
    assertThat(ort.samples()).isEqualTo(n);
    assertThat(engine.agreement(ort)).isEqualTo(1.0);
    assertThat(engine.top1()).isEqualTo(ort.top1());
  }
}
