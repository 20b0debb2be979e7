package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  private static float[] ramp(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  @Test
  void parsesAndPrints() {
    Augmentation a = Augmentation.parse("flip, crop=4,rrc=0.08", "--augment");
    assertThat(a).isEqualTo(new Augmentation(true, 4, 0.08));
    assertThat(Augmentation.parse(a.text(), "x")).isEqualTo(a);
    for (String bad : new String[] {"", "flop", "crop=-1", "crop=x", "rrc=0", "rrc=1.5"}) {
      assertThatThrownBy(() -> Augmentation.parse(bad, "--augment")).as(bad)
          .isInstanceOf(CondenseException.class).hasMessageStartingWith("--augment: ");
    }
  }

  @Test
  void flipMirrorsRowsOrLeavesTheImage() {
    Augmentation flip = new Augmentation(true, 0, 1);
    int flipped = 0;
    for (long seed = 0; seed < 40; seed++) {
      float[] x = ramp(2 * 2 * 3);
      flip.apply(x, 1, 2, 2, 3, new float[2], new SplittableRandom(seed));
      boolean same = java.util.Arrays.equals(x, ramp(12));
      boolean mirrored = java.util.Arrays.equals(x, new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10});
      assertThat(same || mirrored).isTrue();
      flipped += mirrored ? 1 : 0;
    }
    assertThat(flipped).isBetween(10, 30);
  }

  @Test
  void paddedCropShiftsAndFillsWithTheBlackPixel() {
    Augmentation crop = new Augmentation(false, 1, 1);
    boolean sawShift = false;
    for (long seed = 0; seed < 30; seed++) {
      float[] x = ramp(9); // 1 channel, 3×3
      crop.apply(x, 1, 1, 3, 3, new float[] {-7f}, new SplittableRandom(seed));
      int fills = 0;
      for (float v : x) {
        fills += v == -7f ? 1 : 0;
        assertThat(v == -7f || (v >= 1 && v <= 9)).isTrue();
      }
      // a shift by (dy, dx) in -1..1 fills 0, 3 or 5 pixels, and keeps the rest in order
      assertThat(fills).isIn(0, 3, 5);
      sawShift |= fills > 0;
    }
    assertThat(sawShift).isTrue();
  }

  @Test
  void resizedCropKeepsValuesInRangeAndIsSeeded() {
    Augmentation rrc = new Augmentation(false, 0, 0.3);
    float[] a = ramp(2 * 8 * 8);
    float[] b = ramp(2 * 8 * 8);
    rrc.apply(a, 1, 2, 8, 8, new float[2], new SplittableRandom(5));
    rrc.apply(b, 1, 2, 8, 8, new float[2], new SplittableRandom(5));
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(ramp(128));
    for (int i = 0; i < 64; i++) {
      assertThat(a[i]).isBetween(1f, 64f);
      assertThat(a[64 + i]).isBetween(65f, 128f);
    }
  }
}
