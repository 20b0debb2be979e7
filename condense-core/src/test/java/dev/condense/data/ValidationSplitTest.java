package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A validation set held out of the training data: disjoint, seeded, kept through the split's other views. */
class ValidationSplitTest {

  /** Identifies a sample by its pixels (the built-in digits have no duplicates among these). */
  private static Set<String> samples(Dataset d) {
    Set<String> out = new HashSet<>();
    float[] x = new float[d.sampleSize()];
    for (int i = 0; i < d.size(); i++) {
      d.fill(null, i, 1, x, null);
      out.add(java.util.Arrays.toString(x) + d.label(i));
    }
    return out;
  }

  @Test
  void heldOutSamplesLeaveTheTrainingSetAndTheTestSetIsUntouched() {
    DataSplit s = DataSources.resolve("mnist").head(1000);
    DataSplit v = s.withValidation(100, 7);
    assertThat(v.validation().size()).isEqualTo(100);
    assertThat(v.train().size()).isEqualTo(900);
    assertThat(v.test()).isSameAs(s.test());
    Set<String> train = samples(v.train());
    Set<String> held = samples(v.validation());
    assertThat(held).hasSize(100).doesNotContainAnyElementsOf(train);
    Set<String> all = new HashSet<>(train);
    all.addAll(held);
    assertThat(all).isEqualTo(samples(s.train()));
    assertThat(v.validation().name()).contains("validation: 100 held out");
  }

  @Test
  void theSameSeedHoldsOutTheSameSamplesAndOtherViewsKeepThem() {
    DataSplit s = DataSources.resolve("mnist").head(500);
    assertThat(samples(s.withValidation(50, 3).validation())).isEqualTo(samples(s.withValidation(50, 3).validation()))
        .isNotEqualTo(samples(s.withValidation(50, 4).validation()));
    DataSplit v = s.withValidation(50, 3).withCalibration(20, 1).withAugmentation(null);
    assertThat(v.validation().size()).isEqualTo(50);
    assertThat(new DataSplit(s.train(), s.test()).validation()).isNull();
  }

  @Test
  void aValidationSetAsLargeAsTheTrainingSetIsRefused() {
    DataSplit s = DataSources.resolve("mnist").head(100);
    assertThatThrownBy(() -> s.withValidation(100, 1)).isInstanceOf(CondenseException.class)
        .hasMessageContaining("1 to 99 of the 100 training samples");
  }
}
