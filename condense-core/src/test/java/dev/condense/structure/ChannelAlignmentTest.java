package dev.condense.structure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChannelAlignmentTest {
  @Test
  void roundsToTheNearestMultipleWithinTheLayer() {
    assertThat(ChannelAlignment.keep(20, 18, 8)).isEqualTo(16);
    assertThat(ChannelAlignment.keep(64, 45, 8)).isEqualTo(48);
    assertThat(ChannelAlignment.keep(64, 43, 8)).isEqualTo(40);
    assertThat(ChannelAlignment.keep(64, 3, 8)).isEqualTo(8); // never below one block
    assertThat(ChannelAlignment.keep(60, 59, 8)).isEqualTo(56);
    assertThat(ChannelAlignment.keep(62, 62, 16)).isEqualTo(62); // never above the layer: 64 would not fit
  }

  @Test
  void leavesExactCountsAndNarrowLayersAlone() {
    assertThat(ChannelAlignment.keep(64, 45, 1)).isEqualTo(45);
    assertThat(ChannelAlignment.keep(6, 5, 8)).isEqualTo(5);
    assertThat(ChannelAlignment.keep(8, 3, 8)).isEqualTo(3);
  }
}
