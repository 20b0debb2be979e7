package dev.condense.data;

import static dev.condense.data.TestFiles.cifarRecords;
import static dev.condense.data.TestFiles.idxDirectory;
import static dev.condense.data.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.condense.CondenseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
  @TempDir Path dir;

  @Test
  void builtInMnistIsTheFixedStratifiedSplit() {
    DataSplit s = DataSources.resolve("mnist");
    assertThat(s.train().size()).isEqualTo(8000);
    assertThat(s.test().size()).isEqualTo(2000);
    assertThat(s.train().sampleShape()).containsExactly(1, 28, 28);
    assertThat(s.train().name()).isEqualTo("mnist/train");
    assertThat(s.train().preprocess().normalization()).isEqualTo(Normalization.MNIST);

    // the digits per class of the npm package, 20% of each (largest remainder) in the test set
    int[] perClass = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    int[] test = {200, 225, 198, 206, 196, 173, 203, 214, 189, 196};
    int[] train = new int[10];
    Arrays.setAll(train, c -> perClass[c] - test[c]);
    assertThat(s.test().classCounts()).containsExactly(test);
    assertThat(s.train().classCounts()).containsExactly(train);

    // shuffled as a whole: the first samples mix classes (committed order of the script)
    int[] first = new int[10];
    Arrays.setAll(first, s.train()::label);
    assertThat(first).containsExactly(5, 3, 9, 1, 0, 9, 2, 9, 2, 2);
  }

  @Test
  void builtInMnistPixelsLookLikeMnist() {
    DataSplit s = DataSources.builtInMnist();
    for (Dataset d : new Dataset[] {s.train(), s.test()}) {
      Normalization stats = ((ImageSet) d).pixelStatistics();
      assertThat(stats.meanOf(0)).isCloseTo(Normalization.MNIST.meanOf(0), within(0.005f));
      assertThat(stats.stdOf(0)).isCloseTo(Normalization.MNIST.stdOf(0), within(0.005f));
    }
    // MNIST digits are centred on a black background: the 8×8 centre is bright on average, the
    // 2-pixel border nearly black
    ImageSet train = (ImageSet) s.train();
    long centre = 0;
    long border = 0;
    for (int i = 0; i < train.size(); i++) {
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          if (y >= 10 && y < 18 && x >= 10 && x < 18) {
            centre += train.pixel(i, y * 28 + x);
          } else if (y < 2 || y > 25 || x < 2 || x > 25) {
            border += train.pixel(i, y * 28 + x);
          }
        }
      }
    }
    assertThat(centre / (64.0 * train.size() * 255)).isGreaterThan(0.3);
    assertThat(border / ((784 - 24 * 24) * 1.0 * train.size() * 255)).isLessThan(0.01);
  }

  @Test
  void fashionMnistFromTheDebianPackage() {
    assumeTrue(Files.isDirectory(DataSources.FASHION_MNIST_DIR), "dataset-fashion-mnist not installed");
    DataSplit s = DataSources.resolve("fashion-mnist");
    assertThat(s.train().size()).isEqualTo(60_000);
    assertThat(s.test().size()).isEqualTo(10_000);
    assertThat(s.train().sampleShape()).containsExactly(1, 28, 28);
    int[] sixThousand = new int[10];
    Arrays.fill(sixThousand, 6000);
    int[] thousand = new int[10];
    Arrays.fill(thousand, 1000);
    assertThat(s.train().classCounts()).containsExactly(sixThousand);
    assertThat(s.test().classCounts()).containsExactly(thousand);
    assertThat(s.train().label(0)).isEqualTo(9); // an ankle boot
    assertThat(s.test().label(0)).isEqualTo(9);
    assertThat(s.train().preprocess().normalization()).isEqualTo(Normalization.FASHION_MNIST);
    // the published statistics are those of this training set
    Normalization stats = ((ImageSet) s.train()).pixelStatistics();
    assertThat(stats.meanOf(0)).isCloseTo(Normalization.FASHION_MNIST.meanOf(0), within(0.0005f));
    assertThat(stats.stdOf(0)).isCloseTo(Normalization.FASHION_MNIST.stdOf(0), within(0.0005f));
  }

  @Test
  void fashionMnistMissingSaysHowToGetIt() {
    Path none = dir.resolve("fashion");
    assertThatThrownBy(() -> DataSources.fashionMnist(none))
        .isInstanceOf(CondenseException.class)
        .hasMessage("fashion-mnist: " + none + " not found; install it with "
            + "`apt-get install dataset-fashion-mnist` or pass fashion-mnist:DIR");
  }

  @Test
  void namedIdxDirectories() {
    idxDirectory(dir, 28, 28, new int[] {9, 1, 2}, new int[] {3, 4}, true);
    DataSplit f = DataSources.resolve("fashion-mnist:" + dir);
    assertThat(f.train().size()).isEqualTo(3);
    assertThat(f.test().label(1)).isEqualTo(4);
    assertThat(f.train().name()).isEqualTo("fashion-mnist/train");
    assertThat(f.test().preprocess().normalization()).isEqualTo(Normalization.FASHION_MNIST);

    DataSplit m = DataSources.resolve("mnist:" + dir);
    assertThat(m.train().name()).isEqualTo("mnist/train");
    assertThat(m.train().preprocess().normalization()).isEqualTo(Normalization.MNIST);
    assertThat(m.train().numClasses()).isEqualTo(10);
  }

  @Test
  void plainDirectoryInfersClassesAndNormalisation() {
    Path d = idxDirectory(dir.resolve("letters"), 5, 4, new int[] {0, 3, 1, 3}, new int[] {4, 2}, false);
    DataSplit s = DataSources.resolve(d.toString());
    assertThat(s.train().numClasses()).isEqualTo(5);
    assertThat(s.train().name()).isEqualTo("letters/train");
    assertThat(s.test().name()).isEqualTo("letters/test");
    assertThat(s.train().sampleShape()).containsExactly(1, 5, 4);
    Normalization measured = ((ImageSet) s.train()).pixelStatistics();
    assertThat(s.train().preprocess().normalization()).isEqualTo(measured);
    assertThat(s.test().preprocess().normalization()).isEqualTo(measured);
    assertThat(measured).isNotEqualTo(Normalization.UNIT);
  }

  @Test
  void anEmptySetIsAnErrorNamingIt() {
    idxDirectory(dir, 28, 28, new int[] {1, 2}, new int[] {}, false);
    assertThatThrownBy(() -> DataSources.resolve("fashion-mnist:" + dir)).isInstanceOf(CondenseException.class)
        .hasMessage("fashion-mnist/test: no samples (an empty data set cannot train or evaluate a model)");
  }

  @Test
  void directoryMayMixGzipAndRawFiles() {
    idxDirectory(dir, 3, 3, new int[] {1, 2}, new int[] {0}, false);
    // replace one file by its gzip twin: .gz is preferred when both exist
    byte[] labels = TestFiles.idxLabels(7, 8);
    write(dir.resolve(DataSources.TRAIN_LABELS + ".gz"), TestFiles.gzip(labels));
    DataSplit s = DataSources.idxDirectory(dir, "x", 10, Normalization.UNIT);
    assertThat(s.train().label(0)).isEqualTo(7);
    assertThat(s.test().label(0)).isEqualTo(0);
  }

  @Test
  void missingIdxFilesAreListed() throws IOException {
    idxDirectory(dir, 3, 3, new int[] {1, 2}, new int[] {0}, false);
    Files.delete(dir.resolve(DataSources.TRAIN_LABELS));
    Files.delete(dir.resolve(DataSources.TEST_IMAGES));
    assertThatThrownBy(() -> DataSources.resolve(dir.toString()))
        .isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(dir + ": missing train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] (");
  }

  @Test
  void cifar10Directory() {
    for (int k = 0; k < 5; k++) {
      write(dir.resolve(Cifar10Reader.TRAIN_FILES.get(k)), cifarRecords(0, k));
    }
    write(dir.resolve(Cifar10Reader.TEST_FILE), cifarRecords(0, 9, 8));
    DataSplit s = DataSources.resolve("cifar10:" + dir);
    assertThat(s.train().size()).isEqualTo(5);
    assertThat(s.test().size()).isEqualTo(2);
    assertThat(s.train().preprocess().normalization()).isEqualTo(Normalization.CIFAR10);
    assertThatThrownBy(() -> DataSources.resolve("cifar10"))
        .isInstanceOf(CondenseException.class).hasMessageStartingWith("cifar10 needs a directory, cifar10:DIR");
  }

  @Test
  void unknownSpecListsWhatIsAccepted() {
    for (String spec : new String[] {"mnsit", "imagenet:/data", "mnist:", ""}) {
      assertThatThrownBy(() -> DataSources.resolve(spec))
          .isInstanceOf(CondenseException.class)
          .hasMessageStartingWith("unknown data set '" + spec + "': use mnist, mnist:DIR, fashion-mnist, "
              + "fashion-mnist:DIR, cifar10:DIR, npz:FILE, npy:DIR, folder:DIR (image folders), or a directory holding train/ and "
              + "val/ image folders or train-images-idx3-ubyte");
    }
    Path none = dir.resolve("no/such");
    assertThatThrownBy(() -> DataSources.resolve(none.toString()))
        .isInstanceOf(CondenseException.class).hasMessageStartingWith(none + ": no such directory; use mnist, ");
    assertThatThrownBy(() -> DataSources.resolve("mnist:" + none))
        .isInstanceOf(CondenseException.class).hasMessage(none + ": no such directory");
  }

  @Test
  void limitKeepsTheFirstSamples() {
    DataSplit all = DataSources.builtInMnist();
    DataSplit s = DataSources.resolve("mnist", 100);
    assertThat(s.train().size()).isEqualTo(100);
    assertThat(s.test().size()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(s.train().label(i)).isEqualTo(all.train().label(i));
      assertThat(((ImageSet) s.test()).pixel(i, 400)).isEqualTo(((ImageSet) all.test()).pixel(i, 400));
    }
    assertThat(DataSources.resolve("mnist", 5000).test().size()).isEqualTo(2000);
    assertThatThrownBy(() -> DataSources.resolve("mnist", 0))
        .isInstanceOf(CondenseException.class).hasMessage("the sample limit must be at least 1, got 0");
  }

  @Test
  void splitSetsMustMatch() {
    ImageSet a = new ImageSet("a", new byte[4], new int[] {0}, 1, 2, 2, 10, Normalization.UNIT);
    ImageSet b = new ImageSet("b", new byte[9], new int[] {0}, 1, 3, 3, 10, Normalization.UNIT);
    assertThatThrownBy(() -> new DataSplit(a, b))
        .isInstanceOf(CondenseException.class)
        .hasMessage("training set a (1 samples, 1×2×2, 10 classes) and test set b (1 samples, 1×3×3, "
            + "10 classes) do not match in sample shape or number of classes");
  }

  @Test
  void aDirectoryOfFourDimensionalRgbIdxFilesGivesThreeChannelSets() throws IOException {
    Path d = Files.createDirectories(dir.resolve("rgb"));
    byte[] images = Files.readAllBytes(NpyFiles.fixture("rgb-images-idx4-ubyte"));
    byte[] labels = Files.readAllBytes(NpyFiles.fixture("rgb-labels-idx1-ubyte"));
    write(d.resolve("train-images-idx4-ubyte"), images);
    write(d.resolve(DataSources.TRAIN_LABELS), labels);
    write(d.resolve("t10k-images-idx4-ubyte.gz"), TestFiles.gzip(images));
    write(d.resolve(DataSources.TEST_LABELS), labels);
    DataSplit s = DataSources.resolve(d.toString());
    assertThat(s.train().sampleShape()).containsExactly(3, 3, 4);
    assertThat(s.test().sampleShape()).containsExactly(3, 3, 4);
    assertThat(s.train().numClasses()).isEqualTo(8);
    assertThat(((ImageSet) s.test()).pixel(1, 0)).isEqualTo(((ImageSet) s.train()).pixel(1, 0));
  }
}
