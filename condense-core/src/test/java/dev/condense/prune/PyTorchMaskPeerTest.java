package dev.condense.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.PerLayer;
import dev.condense.graph.Model;
import dev.condense.ops.PrunableWeight;
import dev.condense.graph.Tensor;
import dev.condense.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Peer check: on the same trained weights (the PyTorch-exported LeNet-5) and the same per-layer
 * amounts, Condense's magnitude masks equal PyTorch's {@code prune.l1_unstructured} masks, bit
 * for bit (fixture and script: src/test/resources/peer/l1-unstructured/).
 */
class PyTorchMaskPeerTest {
  static final Map<String, Double> AMOUNTS = Map.of("conv1.weight", 0.34, "conv2.weight", 0.88,
      "ip1.weight", 0.92, "ip2.weight", 0.8125);

  @Test
  void masksEqualL1Unstructured() throws Exception {
    Model m = OnnxReader.load(Path.of(getClass().getResource("/fixtures/lenet5-pytorch.onnx").toURI()));
    Map<String, Double> byLayer = new HashMap<>();
    for (PrunableWeight w : PrunableWeight.of(m.graph())) {
      byLayer.put(w.layer(), AMOUNTS.get(w.weight()));
    }
    Masks ours = MagnitudePruner.prune(m, new PruningCriterion.Sparsity(PerLayer.only(byLayer)), null);
    for (String weight : AMOUNTS.keySet()) {
      Tensor torch = OnnxReader.readTensor(Path.of(getClass().getResource("/peer/l1-unstructured/" + weight + ".pb").toURI()));
      long[] t = torch.toLongs();
      boolean[] k = ours.get(weight);
      assertThat(k).as(weight).hasSize(t.length);
      int differ = 0;
      for (int i = 0; i < t.length; i++) {
        differ += (t[i] == 1) != k[i] ? 1 : 0;
      }
      assertThat(differ).as(weight + ": entries where the masks differ").isZero();
    }
  }
}
