package dev.condense.data;

import static dev.condense.data.NpyFiles.dict;
import static dev.condense.data.NpyFiles.fixture;
import static dev.condense.data.NpyFiles.float32;
import static dev.condense.data.NpyFiles.int64;
import static dev.condense.data.NpyFiles.npy;
import static dev.condense.data.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data npz:FILE} and {@code npy:DIR}: the four arrays, or x and y split by a seed. */
class ArraySourcesTest {
  @TempDir Path dir;

  @Test
  void npzWithTheFourArrays() {
    for (String file : new String[] {"split.npz", "split-deflated.npz"}) {
      DataSplit s = DataSources.resolve("npz:" + fixture(file));
      assertThat(s.train().size()).isEqualTo(6);
      assertThat(s.test().size()).isEqualTo(3);
      assertThat(s.train().numClasses()).isEqualTo(3);
      assertThat(s.train().name()).isEqualTo(file.replace(".npz", "") + "/train");
      assertThat(s.test().sampleShape()).containsExactly(2, 2);
      assertThat(s.test().preprocess()).isEqualTo(Preprocess.NONE);
      float[] x = new float[12];
      int[] y = new int[3];
      s.test().fill(null, 0, 3, x, y);
      assertThat(x).containsExactly(-0f, -0.25f, -0.5f, -0.75f, -1f, -1.25f, -1.5f, -1.75f, -2f, -2.25f, -2.5f, -2.75f);
      assertThat(y).containsExactly(2, 0, 1);
    }
  }

  @Test
  void npyDirectoryGivesTheSameAsTheNpz() throws IOException {
    try (NpzFile z = NpzFile.open(fixture("split.npz"))) {
      for (String a : z.names()) {
        unpack(fixture("split.npz"), a, dir);
      }
    }
    DataSplit fromDir = DataSources.resolve("npy:" + dir);
    DataSplit fromNpz = DataSources.resolve("npz:" + fixture("split.npz"));
    assertThat(all(fromDir.train())).containsExactly(all(fromNpz.train()));
    assertThat(all(fromDir.test())).containsExactly(all(fromNpz.test()));
    assertThat(fromDir.train().numClasses()).isEqualTo(3);
  }

  /** Writes array {@code a} of {@code npz} as {@code dir/a.npy}, the bytes NumPy wrote. */
  private static void unpack(Path npz, String a, Path dir) throws IOException {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(npz.toFile())) {
      Files.write(dir.resolve(a + ".npy"), zip.getInputStream(zip.getEntry(a + ".npy")).readAllBytes());
    }
  }

  private static float[] all(Dataset d) {
    float[] x = new float[d.size() * d.sampleSize()];
    d.fill(null, 0, d.size(), x, null);
    return x;
  }

  @Test
  void xAndYAreSplitBySeedAndEverySampleLandsOnce() {
    Path f = fixture("xy.npz");
    DataSplit s = DataSources.resolve("npz:" + f + ",test=0.3,seed=5");
    assertThat(s.test().size()).isEqualTo(3);
    assertThat(s.train().size()).isEqualTo(7);
    assertThat(s.train().numClasses()).isEqualTo(4);
    float[] seen = new float[10];
    for (Dataset d : new Dataset[] {s.train(), s.test()}) {
      float[] x = all(d);
      int[] y = new int[d.size()];
      d.fill(null, 0, d.size(), new float[x.length], y);
      for (int i = 0; i < d.size(); i++) {
        int sample = (int) x[3 * i] / 3; // x[k] = 3k, 3k+1, 3k+2
        seen[sample]++;
        assertThat(y[i]).isEqualTo(sample % 4);
      }
    }
    float[] once = new float[10];
    Arrays.fill(once, 1f);
    assertThat(seen).containsExactly(once);
    // the same seed, the same split; another seed, another split
    assertThat(all(DataSources.resolve("npz:" + f + ",test=0.3,seed=5").test())).containsExactly(all(s.test()));
    assertThat(all(DataSources.resolve("npz:" + f + ",test=0.3,seed=6").test())).isNotEqualTo(all(s.test()));
  }

  @Test
  void classesMayBeGivenAndLabelsAreCheckedAgainstThem() {
    Path f = fixture("split.npz");
    assertThat(DataSources.resolve("npz:" + f + ",classes=10").test().numClasses()).isEqualTo(10);
    assertThatThrownBy(() -> DataSources.resolve("npz:" + f + ",classes=2")).isInstanceOf(CondenseException.class)
        .hasMessage(f + " (array y_train): label 2 of sample 2 is outside 0..1");
  }

  @Test
  void aSplitIsNeededForXAndY() {
    Path f = fixture("xy.npz");
    assertThatThrownBy(() -> DataSources.resolve("npz:" + f)).isInstanceOf(CondenseException.class)
        .hasMessage(f + ": holds x and y but no test set; give the fraction to hold out, e.g. ,test=0.2 "
            + "(and ,seed=S to draw another split)");
    assertThatThrownBy(() -> DataSources.resolve("npz:" + fixture("split.npz") + ",test=0.2"))
        .isInstanceOf(CondenseException.class)
        .hasMessage(fixture("split.npz") + ": holds x_train and x_test already split; test= applies only to arrays x and y");
    assertThatThrownBy(() -> DataSources.resolve("npz:" + f + ",test=0.01")).isInstanceOf(CondenseException.class)
        .hasMessage(f + ": test=0.01 of 10 samples leaves no test samples");
  }

  @Test
  void badOptionsAreNamed() {
    Path f = fixture("xy.npz");
    assertThatThrownBy(() -> DataSources.resolve("npz:" + f + ",tset=0.2")).isInstanceOf(CondenseException.class)
        .hasMessage("npz:" + f + ",tset=0.2: unknown option 'tset=0.2'; options are test=FRACTION, seed=S (with test) "
            + "and classes=K");
    assertThatThrownBy(() -> DataSources.resolve("npz:" + f + ",test=1.5")).isInstanceOf(CondenseException.class)
        .hasMessageContaining("bad value in 'test=1.5'");
    assertThatThrownBy(() -> DataSources.resolve("npz:" + f + ",seed=3")).isInstanceOf(CondenseException.class)
        .hasMessage("npz:" + f + ",seed=3: seed= chooses the split of test=, which is not given");
    assertThatThrownBy(() -> DataSources.resolve("npz")).isInstanceOf(CondenseException.class)
        .hasMessage("npz needs a file, npz:FILE, holding arrays x_train, y_train, x_test, y_test (or x, y with ,test=FRACTION)");
  }

  @Test
  void missingArraysAndFilesAreNamed() {
    write(dir.resolve("x_train.npy"), npy(dict("<f4", "(1,)"), float32(1)));
    write(dir.resolve("notes.txt"), new byte[1]);
    assertThatThrownBy(() -> DataSources.resolve("npy:" + dir)).isInstanceOf(CondenseException.class)
        .hasMessage(dir + ": expected arrays x_train, y_train, x_test, y_test (or x and y with ,test=FRACTION); "
            + "it holds x_train");
    Path none = dir.resolve("none.npz");
    assertThatThrownBy(() -> DataSources.resolve("npz:" + none)).isInstanceOf(CondenseException.class)
        .hasMessage(none + ": no such file");
    assertThatThrownBy(() -> DataSources.resolve("npy:" + none)).isInstanceOf(CondenseException.class)
        .hasMessage(none + ": no such directory (npy:DIR names a directory of .npy files)");
  }

  @Test
  void trainAndTestOfDifferentShapesAreRefused() {
    write(dir.resolve("x_train.npy"), npy(dict("<f4", "(2, 2)"), float32(1, 2, 3, 4)));
    write(dir.resolve("y_train.npy"), npy(dict("<i8", "(2,)"), int64(0, 1)));
    write(dir.resolve("x_test.npy"), npy(dict("<f4", "(1, 3)"), float32(1, 2, 3)));
    write(dir.resolve("y_test.npy"), npy(dict("<i8", "(1,)"), int64(1)));
    String name = dir.getFileName().toString();
    assertThatThrownBy(() -> DataSources.resolve("npy:" + dir)).isInstanceOf(CondenseException.class)
        .hasMessage("training set " + name + "/train (2 samples, 2, 2 classes) and test set " + name
            + "/test (1 samples, 3, 2 classes) do not match in sample shape or number of classes");
  }
}
