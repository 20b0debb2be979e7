package dev.condense.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** He et al.'s residual target: y + (s_original − s_now) / scale, channel by channel. */
class ConvSamplesTest {
  static ConvSamples outputs(float... v) {
    return new ConvSamples(2, 1, 1, 2, new float[2], v);
  }

  @Test
  void theShortcutsDriftIsAddedThroughTheBatchNormScale() {
    ConvSamples y = outputs(1, 2, 3, 4);
    ConvSamples drifted = y.plusShortcutDrift(outputs(10, 10, 10, 10), outputs(8, 10, 12, 10), new float[] {2, 0});
    // channel 0: + (10 − 8) / 2 and + (10 − 12) / 2; channel 1 has a zero scale and stays.
    assertThat(drifted.outputs()).containsExactly(2, 2, 2, 4);
    assertThat(drifted.patches()).isSameAs(y.patches());
    assertThat(y.outputs()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void mismatchedSamplesAreRefused() {
    ConvSamples y = outputs(1, 2, 3, 4);
    assertThatThrownBy(() -> y.plusShortcutDrift(new ConvSamples(1, 1, 1, 2, new float[1], new float[2]), y, new float[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
