package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSourcesTest {
  private static final FolderOptions OPTIONS = new FolderOptions(new ImageIoTestDecoder(), 2, false);

  @TempDir Path tmp;

  /** {@code n} 4×4 gray PNGs under {@code root}, image i in class folder {@code c(i mod classes)}. */
  private static void images(Path root, int n, int classes) throws IOException {
    for (int i = 0; i < n; i++) {
      ImageIoTestDecoder.writePng(ImageIoTestDecoder.pattern(i, 1, 4, 4),
          root.resolve("c" + (i % classes)).resolve("i" + i + ".png"));
    }
  }

  @Test
  void trainAndValFoldersAreTheTrainingAndTestSets() throws IOException {
    Path dir = tmp.resolve("pets");
    images(dir.resolve("train"), 9, 3);
    images(dir.resolve("val"), 6, 3);
    for (String spec : new String[] {"folder:" + dir, dir.toString()}) {
      DataSplit s = DataSources.resolve(spec, OPTIONS);
      assertThat(s.train()).isInstanceOf(FolderSet.class);
      assertThat(s.train().name()).isEqualTo("pets/train");
      assertThat(s.test().name()).isEqualTo("pets/val");
      assertThat(s.train().size()).isEqualTo(9);
      assertThat(s.test().size()).isEqualTo(6);
      assertThat(s.train().numClasses()).isEqualTo(3);
      assertThat(s.train().preprocess()).isEqualTo(FolderSources.DEFAULT_PREPROCESS);
    }
    assertThat(DataSources.resolve("folder:" + dir, OPTIONS, 4).train().size()).isEqualTo(4);
  }

  @Test
  void valAndTestTogetherNeedEval() throws IOException {
    Path dir = tmp.resolve("three");
    images(dir.resolve("train"), 4, 2);
    images(dir.resolve("val"), 2, 2);
    images(dir.resolve("test"), 4, 2);
    assertThatThrownBy(() -> DataSources.resolve("folder:" + dir, OPTIONS)).isInstanceOf(CondenseException.class)
        .hasMessage(dir + ": has both val/ and test/; say which one to evaluate with eval=val or eval=test");
    assertThat(DataSources.resolve("folder:" + dir + ",eval=test", OPTIONS).test().size()).isEqualTo(4);
    assertThat(DataSources.resolve("folder:" + dir + ",eval=val", OPTIONS).test().size()).isEqualTo(2);
  }

  @Test
  void classFoldersAloneNeedASplit() throws IOException {
    Path dir = tmp.resolve("flat");
    images(dir, 20, 2);
    assertThatThrownBy(() -> DataSources.resolve("folder:" + dir, OPTIONS)).isInstanceOf(CondenseException.class)
        .hasMessage(dir + ": no train/ and val/ (or test/) folders; to split its class folders into a training and "
            + "a test set give a split, e.g. folder:" + dir + ",split=0.9,seed=1");
  }

  @Test
  void aSeededSplitIsDisjointCompleteAndRepeatable() throws IOException {
    Path dir = tmp.resolve("flat");
    images(dir, 40, 4);
    DataSplit a = DataSources.resolve("folder:" + dir + ",split=0.75,seed=3", OPTIONS);
    DataSplit b = DataSources.resolve("folder:" + dir + ",split=0.75,seed=3", OPTIONS);
    DataSplit c = DataSources.resolve("folder:" + dir + ",split=0.75,seed=4", OPTIONS);
    assertThat(a.train().size()).isEqualTo(30);
    assertThat(a.test().size()).isEqualTo(10);
    assertThat(a.train().name()).isEqualTo("flat/train (split 0.75, seed 3)");
    Set<Path> seen = new HashSet<>();
    for (Dataset d : new Dataset[] {a.train(), a.test()}) {
      FolderSet f = (FolderSet) d;
      for (int i = 0; i < f.size(); i++) {
        assertThat(seen.add(f.file(i))).as("%s once", f.file(i)).isTrue();
      }
    }
    assertThat(seen).hasSize(40);
    assertThat(files((FolderSet) a.test())).isEqualTo(files((FolderSet) b.test()))
        .isNotEqualTo(files((FolderSet) c.test()));
    // each part keeps the listing's order
    FolderSet t = (FolderSet) a.train();
    for (int i = 1; i < t.size(); i++) {
      assertThat(FolderListing.CODE_POINT_ORDER.compare(t.file(i - 1).toString(), t.file(i).toString())).isNegative();
    }
  }

  private static String files(FolderSet f) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < f.size(); i++) {
      b.append(f.file(i)).append('\n');
    }
    return b.toString();
  }

  @Test
  void optionsAreReadFromTheEndSoACommaInTheFolderNameWorks() throws IOException {
    Path dir = tmp.resolve("a,b");
    images(dir, 10, 2);
    Files.write(dir.resolve("c0/broken.png"), new byte[] {1});
    DataSplit s = DataSources.resolve("folder:" + dir + ",split=0.5,skip-bad", OPTIONS);
    assertThat(s.train().size() + s.test().size()).isEqualTo(10);
    assertThat(((FolderSet) s.train()).skipped().size() + ((FolderSet) s.test()).skipped().size()).isEqualTo(1);
  }

  @Test
  void mistakesAreOneLineNamingTheFolderOrOption() throws IOException {
    Path dir = tmp.resolve("m");
    images(dir.resolve("train"), 4, 2);
    images(dir.resolve("val"), 3, 3);
    assertThatThrownBy(() -> DataSources.resolve("folder:" + dir, OPTIONS)).isInstanceOf(CondenseException.class)
        .hasMessage(dir.resolve("val") + ": its class folders (3: c0, c1, c2) are not train/'s (2: c0, c1)");
    assertThatThrownBy(() -> DataSources.resolve("folder:" + dir + ",split=0.9", OPTIONS))
        .isInstanceOf(CondenseException.class).hasMessageContaining("split= and seed= are for a folder of class folders");
    assertThatThrownBy(() -> DataSources.resolve("folder:" + tmp + ",split=1.5", OPTIONS))
        .isInstanceOf(CondenseException.class).hasMessageContaining("split=1.5 is not a fraction between 0 and 1");
    assertThatThrownBy(() -> DataSources.resolve("folder:" + tmp.resolve("none"), OPTIONS))
        .isInstanceOf(CondenseException.class).hasMessage(tmp.resolve("none") + ": no such directory");
    assertThatThrownBy(() -> DataSources.resolve("folder:" + dir, OPTIONS.withSkipBad(false), 0))
        .isInstanceOf(CondenseException.class).hasMessage("the sample limit must be at least 1, got 0");
  }

  @Test
  void withoutOptionsAFolderIsReadWithCondensesOwnDecoder() throws IOException {
    Path dir = tmp.resolve("p");
    images(dir.resolve("train"), 2, 1);
    images(dir.resolve("val"), 2, 1);
    DataSplit d = DataSources.resolve("folder:" + dir);
    float[] own = new float[2 * 16];
    d.train().fill(null, 0, 2, own, null);
    float[] test = new float[2 * 16];
    DataSources.resolve("folder:" + dir, OPTIONS).train().fill(null, 0, 2, test, null);
    assertThat(own).containsExactly(test); // the product decoder gives the test decoder's gray pixels
  }
}
