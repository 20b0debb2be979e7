package dev.condense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-layer settings keep the order they were given in, in every JVM: Map.copyOf's order is drawn
 * per JVM, which made a report's per-layer settings (and the first of several entries matching a
 * layer) change from one run of the same command to the next.
 */
class PerLayerOrderTest {
  private static final List<String> LAYERS = List.of("conv1", "conv2", "conv3", "conv4", "fc1", "fc2", "fc3", "fc4");

  private static Map<String, Double> settings() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < LAYERS.size(); i++) {
      m.put(LAYERS.get(i), 0.1 * (i + 1));
    }
    return m;
  }

  @Test
  void layersComeInTheOrderGiven() {
    PerLayer<Double> p = PerLayer.of(settings(), 0.5);
    assertThat(p.byLayer().keySet()).containsExactlyElementsOf(LAYERS);
    assertThat(p.map(x -> x * 2).byLayer().keySet()).containsExactlyElementsOf(LAYERS);
    assertThat(p.describe()).isEqualTo(settings().toString());
  }

  @Test
  void aCopyIsUnmodifiableAndRefusesNulls() {
    Map<String, Double> copy = OrderedCopy.of(settings());
    assertThatThrownBy(() -> copy.put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    Map<String, Double> withNull = new HashMap<>();
    withNull.put("conv1", null);
    assertThatThrownBy(() -> PerLayer.only(withNull)).isInstanceOf(NullPointerException.class);
    assertThat(PerLayer.only(settings())).isEqualTo(PerLayer.only(new HashMap<>(settings())));
  }
}
