package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {

  @Test
  void shuffledOrderIsAPermutation() {
    int[] order = Batches.order(1000, 42, 0, true);
    assertThat(order).hasSize(1000);
    int[] sorted = order.clone();
    Arrays.sort(sorted);
    assertThat(sorted).isEqualTo(IntStream.range(0, 1000).toArray());
    assertThat(order).isNotEqualTo(IntStream.range(0, 1000).toArray());
  }

  @Test
  void sameSeedAndEpochGiveTheSameOrder() {
    assertThat(Batches.order(500, 7, 3, true)).isEqualTo(Batches.order(500, 7, 3, true));
  }

  @Test
  void otherEpochOrSeedGivesAnotherOrder() {
    int[] base = Batches.order(500, 7, 3, true);
    assertThat(Batches.order(500, 7, 4, true)).isNotEqualTo(base);
    assertThat(Batches.order(500, 8, 3, true)).isNotEqualTo(base);
  }

  @Test
  void unshuffledOrderIsTheIdentity() {
    assertThat(Batches.order(5, 7, 3, false)).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void countCoversAShortLastBatch() {
    assertThat(Batches.count(100, 32)).isEqualTo(4);
    assertThat(Batches.count(96, 32)).isEqualTo(3);
    assertThat(Batches.count(0, 32)).isZero();
  }
}
