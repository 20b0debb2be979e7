package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImageSetTest {

  /** 3 samples of 2 channels × 1×2 pixels. */
  private static ImageSet twoChannels(Normalization norm) {
    byte[] px = {
        0, (byte) 255, 51, 102,          // sample 0: channel 0 = 0, 255; channel 1 = 51, 102
        (byte) 128, 1, 2, 3,             // sample 1
        10, 20, 30, (byte) 200};         // sample 2
    return new ImageSet("d", px, new int[] {2, 0, 1}, 2, 1, 2, 3, norm);
  }

  @Test
  void fillNormalisesEachChannelInTheGivenOrder() {
    Normalization norm = new Normalization(new float[] {0.5f, 0.2f}, new float[] {0.25f, 0.4f});
    ImageSet d = twoChannels(norm);
    float[] x = new float[2 * 4];
    int[] y = new int[2];

    d.fill(new int[] {1, 2, 0}, 1, 2, x, y); // samples 2 then 0

    assertThat(y).containsExactly(1, 2);
    float[] expected = {
        (10 / 255f - 0.5f) / 0.25f, (20 / 255f - 0.5f) / 0.25f, (30 / 255f - 0.2f) / 0.4f, (200 / 255f - 0.2f) / 0.4f,
        (0 - 0.5f) / 0.25f, (1 - 0.5f) / 0.25f, (51 / 255f - 0.2f) / 0.4f, (102 / 255f - 0.2f) / 0.4f};
    for (int k = 0; k < expected.length; k++) {
      assertThat(x[k]).as("value %d", k).isCloseTo(expected[k], within(1e-6f));
    }
  }

  @Test
  void fillWithoutOrderReadsConsecutiveSamples() {
    ImageSet d = twoChannels(Normalization.UNIT);
    float[] x = new float[4];
    d.fill(null, 1, 1, x, null);
    assertThat(x).containsExactly(new float[] {128 / 255f, 1 / 255f, 2 / 255f, 3 / 255f}, within(1e-7f));
  }

  @Test
  void headSliceAndClassCounts() {
    ImageSet d = twoChannels(Normalization.UNIT);
    assertThat(d.classCounts()).containsExactly(1, 1, 1);
    ImageSet head = d.head(2);
    assertThat(head.size()).isEqualTo(2);
    assertThat(head.classCounts()).containsExactly(1, 0, 1);
    assertThat(head.pixel(1, 0)).isEqualTo(128);
    assertThat(d.head(10)).isSameAs(d);
    assertThat(d.slice(2, 3).pixel(0, 3)).isEqualTo(200);
  }

  @Test
  void pixelStatisticsPerChannel() {
    Normalization s = twoChannels(Normalization.UNIT).pixelStatistics();
    double[] c0 = {0, 255, 128, 1, 10, 20};
    double[] c1 = {51, 102, 2, 3, 30, 200};
    assertThat(s.meanOf(0)).isCloseTo((float) (mean(c0) / 255), within(1e-6f));
    assertThat(s.stdOf(0)).isCloseTo((float) (std(c0) / 255), within(1e-6f));
    assertThat(s.meanOf(1)).isCloseTo((float) (mean(c1) / 255), within(1e-6f));
    assertThat(s.stdOf(1)).isCloseTo((float) (std(c1) / 255), within(1e-6f));
  }

  @Test
  void constantChannelGetsUnitStd() {
    ImageSet d = new ImageSet("c", new byte[] {7, 7, 7, 7}, new int[] {0, 0}, 1, 1, 2, 1, Normalization.UNIT);
    Normalization s = d.pixelStatistics();
    assertThat(s.meanOf(0)).isCloseTo(7 / 255f, within(1e-7f));
    assertThat(s.stdOf(0)).isEqualTo(1f);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }
}
