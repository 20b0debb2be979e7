package dev.condense.data;

import static dev.condense.data.NpyFiles.dict;
import static dev.condense.data.NpyFiles.fixture;
import static dev.condense.data.NpyFiles.float32;
import static dev.condense.data.NpyFiles.int64;
import static dev.condense.data.NpyFiles.npy;
import static dev.condense.data.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.condense.CondenseException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrays as a data set: values as stored, NumPy's normalisation, labels and shapes checked. */
class ArraySetTest {
  @TempDir Path dir;

  private static NpyFiles.Expected expected(String file, String array) {
    return NpyFiles.expected().stream().filter(e -> e.file().equals(file) && e.array().equals(array)).findFirst()
        .orElseThrow();
  }

  private static ArraySet fromNpz(String file, String x, String y, int classes) {
    try (NpzFile z = NpzFile.open(fixture(file))) {
      return ArraySet.of(file, z.read(x), z.read(y), classes);
    }
  }

  private static float[] all(Dataset d, int[] labels) {
    float[] x = new float[d.size() * d.sampleSize()];
    d.fill(null, 0, d.size(), x, labels);
    return x;
  }

  @Test
  void floatInputsAreGivenAsStoredBitForBit() {
    ArraySet d = fromNpz("split.npz", "x_train", "y_train", 3);
    assertThat(d.sampleShape()).containsExactly(2, 2);
    assertThat(d.size()).isEqualTo(6);
    assertThat(d.preprocess()).isEqualTo(Preprocess.NONE);
    int[] y = new int[6];
    float[] x = all(d, y);
    NpyFiles.Expected e = expected("split.npz", "x_train");
    for (int i = 0; i < x.length; i++) {
      assertThat(Float.floatToIntBits(x[i])).as("x[%d]", i).isEqualTo(Float.floatToIntBits(Float.parseFloat(e.values()[i])));
    }
    assertThat(y).containsExactly(0, 1, 2, 1, 0, 2);
  }

  @Test
  void perChannelNormalisationIsNumpys() {
    ArraySet d = fromNpz("split.npz", "x_train", "y_train", 3)
        .preprocessed(Preprocess.parse("none,scale=1/2,mean=0.5:-1,std=2:0.25", "test"));
    assertNormalisedAsNumpy(d, expected("split.npz", "x_train|scale=1/2,mean=0.5:-1,std=2:0.25"));
  }

  @Test
  void bytesAreKeptAndScaledAsNumpyScalesThem() {
    ArraySet d = fromNpz("xy.npz", "x", "y", 4);
    float[] raw = all(d, null);
    for (int i = 0; i < raw.length; i++) {
      assertThat(raw[i]).isEqualTo(i);
    }
    assertNormalisedAsNumpy(d.preprocessed(Preprocess.parse("scale=1/255,mean=0.5,std=0.25", "test")),
        expected("xy.npz", "x|scale=1/255,mean=0.5,std=0.25"));
  }

  private static void assertNormalisedAsNumpy(Dataset d, NpyFiles.Expected e) {
    float[] x = all(d, null);
    assertThat(x).hasSize(e.values().length);
    for (int i = 0; i < x.length; i++) {
      double numpy = Double.parseDouble(e.values()[i]);
      assertThat((double) x[i]).as("x[%d]", i).isCloseTo(numpy, within(1e-6 * Math.max(1, Math.abs(numpy))));
    }
  }

  @Test
  void slicesAndSubsetsReadTheRightSamples() {
    ArraySet d = fromNpz("xy.npz", "x", "y", 4);
    Dataset s = d.subset(new int[] {7, 2}, "two");
    int[] y = new int[2];
    float[] x = all(s, y);
    assertThat(x).containsExactly(21, 22, 23, 6, 7, 8);
    assertThat(y).containsExactly(3, 2);
  }

  @Test
  void imageOperationsAreRefused() {
    ArraySet d = fromNpz("split.npz", "x_train", "y_train", 3);
    assertThatThrownBy(() -> d.preprocessed(Preprocess.IMAGENET)).isInstanceOf(CondenseException.class)
        .hasMessage("data set 'split.npz': arrays are given to the model as stored, so the preprocessing "
            + "'rgb,resize=256,crop=224,scale=1/255,mean=0.485:0.456:0.406,std=0.229:0.224:0.225' cannot apply "
            + "(colour conversion, resize, crop and nhwc are for images); give only scale, mean and std");
    assertThatThrownBy(() -> d.preprocessed(Preprocess.parse("none,nhwc", "t"))).isInstanceOf(CondenseException.class)
        .hasMessageContaining("cannot apply");
  }

  @Test
  void meanAndStdMustMatchTheChannelsOrBeOneValue() {
    ArraySet d = fromNpz("split.npz", "x_train", "y_train", 3);
    assertThatThrownBy(() -> d.preprocessed(Preprocess.parse("mean=1:2:3,std=1:1:1", "t")))
        .isInstanceOf(CondenseException.class)
        .hasMessage("the preprocessing's mean and std have 3 values, but data set 'split.npz' has samples of (2, 2): "
            + "per-channel statistics need as many values as the sample's first axis (the channels), otherwise give one value");
    ArraySet flat = fromNpz("xy.npz", "x", "y", 4);
    assertThatThrownBy(() -> flat.preprocessed(Preprocess.parse("mean=1:2:3,std=1:1:1", "t")))
        .isInstanceOf(CondenseException.class).hasMessageContaining("has samples of (3,)");
  }

  @Test
  void int64AndFloat64InputsAreNarrowedToFloat32() {
    Path x = write(dir.resolve("x.npy"), npy(dict("<i8", "(2, 2)"), int64(-3, 16777217, 1L << 40, 7)));
    Path y = write(dir.resolve("y.npy"), npy(dict("<i8", "(2, 1)"), int64(1, 0)));
    ArraySet d = ArraySet.of("ints", NpyReader.read(x), NpyReader.read(y), 2);
    int[] labels = new int[2];
    assertThat(all(d, labels)).containsExactly(-3f, 16777216f, 1099511627776f, 7f);
    assertThat(labels).containsExactly(1, 0);
  }

  @Test
  void integerArraysAreTokenIdsOnlyWhereFloat32HoldsThemExactly() {
    Path y = write(dir.resolve("y.npy"), npy(dict("<i8", "(2,)"), int64(1, 0)));
    Path ids = write(dir.resolve("ids.npy"), npy(dict("<i8", "(2, 2)"), int64(-3, 16777216, 0, 7)));
    ArraySet d = ArraySet.of("ids", NpyReader.read(ids), NpyReader.read(y), 2);
    assertThat(d.notTokenIds()).isNull();
    assertThat(all(d, new int[2])).containsExactly(-3f, 16777216f, 0f, 7f);
    assertThat(d.slice(1, 2).notTokenIds()).isNull();
    Path big = write(dir.resolve("big.npy"), npy(dict("<i8", "(2, 2)"), int64(-3, 5, 16777217, 7)));
    assertThat(ArraySet.of("big", NpyReader.read(big), NpyReader.read(y), 2).notTokenIds())
        .isEqualTo(big + ": id 16777217 of sample 1 is beyond 2^24, more than the engine holds exactly");
    Path floats = write(dir.resolve("f.npy"), npy(dict("<f4", "(2, 1)"), float32(1, 2)));
    assertThat(ArraySet.of("f", NpyReader.read(floats), NpyReader.read(y), 2).notTokenIds())
        .isEqualTo(floats + ": its values are float32, not integer ids");
  }

  @Test
  void labelErrorsNameTheFileAndTheSample() {
    Path x = write(dir.resolve("x.npy"), npy(dict("<f4", "(3,)"), float32(1, 2, 3)));
    assertLabelsRefused(x, npy(dict("<i8", "(3,)"), int64(0, 5, 1)), 3, "y.npy: label 5 of sample 1 is outside 0..2");
    assertLabelsRefused(x, npy(dict("<i8", "(3,)"), int64(0, 1, -1)), 3, "y.npy: label -1 of sample 2 is not a class index (0 or more)");
    assertLabelsRefused(x, npy(dict("<u8", "(3,)"), int64(0, -1, 1)), 3,
        "y.npy: label 18446744073709551615 of sample 1 is not a class index (0 or more)");
    assertLabelsRefused(x, npy(dict("<f4", "(3,)"), float32(0, 1, 1)), 3, "y.npy: labels must be integers (class indices), found float32");
    assertLabelsRefused(x, npy(dict("<i8", "(3, 2)"), int64(0, 1, 1, 0, 0, 1)), 3,
        "y.npy: labels must be one class index per sample, shape (samples,) or (samples, 1), found (3, 2) (one-hot? store the argmax)");
  }

  @Test
  void inputsAndLabelsOfDifferentLengthsAreNamed() {
    Path x = write(dir.resolve("x.npy"), npy(dict("<f4", "(3,)"), float32(1, 2, 3)));
    Path y = write(dir.resolve("y.npy"), npy(dict("<i8", "(2,)"), int64(0, 1)));
    assertThatThrownBy(() -> ArraySet.of("t", NpyReader.read(x), NpyReader.read(y), 3)).isInstanceOf(CondenseException.class)
        .hasMessage(x + " holds 3 samples but " + y + " holds 2 labels");
    Path scalar = write(dir.resolve("s.npy"), npy(dict("<f4", "()"), float32(1)));
    assertThatThrownBy(() -> ArraySet.of("t", NpyReader.read(scalar), NpyReader.read(y), 3))
        .isInstanceOf(CondenseException.class).hasMessage(scalar + ": a 0-d array (one value), not inputs of shape (samples, ...)");
  }

  private void assertLabelsRefused(Path x, byte[] labels, int classes, String message) {
    Path y = write(dir.resolve("y.npy"), labels);
    assertThatThrownBy(() -> ArraySet.of("t", NpyReader.read(x), NpyReader.read(y), classes))
        .isInstanceOf(CondenseException.class).hasMessage(dir.resolve(message.substring(0, message.indexOf(':')))
            + message.substring(message.indexOf(':')));
  }
}
