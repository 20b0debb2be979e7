package dev.condense.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.quant.KMeans1D;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A quantize step's per-layer bits are reported in the order the recipe gives them, in every JVM. */
class QuantizeDetailTest {
  @Test
  void bitsByLayerKeepTheirOrder() {
    Map<String, Integer> bits = new LinkedHashMap<>();
    for (String layer : new String[] {"ip3", "ip2", "ip1", "conv2", "conv1", "fc8", "fc7", "fc6"}) {
      bits.put(layer, 4 + bits.size() % 3);
    }
    Step.Quantize q = new Step.Quantize(bits, 8, 5, KMeans1D.Init.LINEAR, TrainSettings.defaults());
    assertThat(q.bitsByLayer().keySet()).containsExactlyElementsOf(bits.keySet());
    assertThat(q.detail()).isEqualTo("fc 5 bits, conv 8, " + bits);
  }
}
