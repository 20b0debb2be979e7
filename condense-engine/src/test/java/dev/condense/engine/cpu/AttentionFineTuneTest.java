package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.ImageSet;
import dev.condense.data.Normalization;
import dev.condense.engine.Constraints;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.engine.TrainHistory;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.ops.OpTable;
import dev.condense.ops.TrainableTensors;
import dev.condense.zoo.OrtReference;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A few fine-tuning epochs of the PyTorch-exported ViTs through the engine's session: the loss
 * falls, the class token and position embedding train (and the shape constants do not), and the
 * written model read back runs in ONNX Runtime with the engine's outputs.
 */
class AttentionFineTuneTest {

  /** {@code n} seeded images of {@code side}² whose brightness follows the label, so that a loss can fall. */
  static ImageSet images(int n, int side, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int per = 3 * side * side;
    byte[] px = new byte[n * per];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(4);
      for (int j = 0; j < per; j++) {
        px[i * per + j] = (byte) Math.min(255, labels[i] * 60 + r.nextInt(40));
      }
    }
    return new ImageSet("images", px, labels, 3, side, side, 10, Normalization.UNIT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vit-opset13", "tvvit-opset17"})
  void lossFallsAndTheWrittenModelRunsInOnnxRuntime(String name) throws Exception {
    Model m = OnnxReader.read(AttentionExportsTest.dir().resolve(name + ".onnx"));
    Map<String, Boolean> trains = TrainableTensors.of(m.graph(), OpTable.standard()).entries().stream()
        .collect(Collectors.toMap(TrainableTensors.Entry::name, TrainableTensors.Entry::trains));
    String token = name.startsWith("tvvit") ? "class_token" : "cls";
    String positions = name.startsWith("tvvit") ? "encoder.pos_embedding" : "pos";
    assertThat(trains).containsEntry(token, true).containsEntry(positions, true);
    ImageSet data = images(32, name.startsWith("tvvit") ? 32 : 16, 5);
    TrainConfig cfg = TrainConfig.defaults().withEpochs(4).withBatchSize(8).withLr(0.02).withWeightDecay(0).withSeed(3);
    try (CpuEngine engine = new CpuEngine(1); Session s = engine.open(m)) {
      TrainHistory h = s.train(data, cfg, Constraints.NONE, null, Progress.NONE);
      double first = h.epochs().get(0).trainLoss();
      double last = h.epochs().get(h.epochs().size() - 1).trainLoss();
      assertThat(last).as("loss after 4 epochs (first %.4f)", first).isLessThan(first * 0.9);
      Model trained = OnnxReader.read(OnnxWriter.toBytes(s.export()), name + " trained");
      assertThat(trained.graph().initializer(token).floats()).isNotEqualTo(m.graph().initializer(token).floats());
      Tensor x = AttentionExportsTest.sample(trained, 3, 11);
      try (Session t = engine.open(trained)) {
        float[] ours = t.run(Map.of("x", x)).get("logits").floats();
        AttentionExportsTest.assertClose(ours, OrtReference.run(trained, x), name + " trained");
      }
    }
  }
}
