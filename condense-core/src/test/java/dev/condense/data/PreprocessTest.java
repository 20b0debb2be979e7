package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import dev.condense.data.image.ColorMode;
import dev.condense.data.image.Interpolation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessTest {

  @Test
  void presetsThenOverrides() {
    Preprocess p = Preprocess.parse("imagenet,resize=64,crop=56", "--preprocess");
    assertThat(p.color()).isEqualTo(ColorMode.RGB);
    assertThat(p.resize().height()).isEqualTo(64);
    assertThat(p.resize().shorterSide()).isTrue();
    assertThat(p.crop().height()).isEqualTo(56);
    assertThat(p.normalization()).isEqualTo(Normalization.IMAGENET);
    assertThat(p.text()).isEqualTo("rgb,resize=64,crop=56,scale=1/255,mean=0.485:0.456:0.406,std=0.229:0.224:0.225");
  }

  @Test
  void everyItemReadsBackFromItsText() {
    for (String s : new String[] {"unit", "none", "mnist", "fashion-mnist", "cifar10", "imagenet",
        "gray,resize=32x40:nearest,crop=28x30,scale=1,mean=0.5,std=0.25,nhwc", "bgr,scale=1/127.5,mean=1,std=1",
        "mean=0.1:0.2:0.3,std=0.5"}) {
      Preprocess p = Preprocess.parse(s, "x");
      assertThat(Preprocess.parse(p.text(), "x")).as(s).isEqualTo(p);
    }
    Preprocess p = Preprocess.parse("gray,resize=32x40:nearest,nhwc", "x");
    assertThat(p.resize().interpolation()).isEqualTo(Interpolation.NEAREST);
    assertThat(p.resize().shorterSide()).isFalse();
    assertThat(p.channelsLast()).isTrue();
    // one std for three means is repeated per channel
    assertThat(Preprocess.parse("mean=0.1:0.2:0.3,std=0.5", "x").normalization().std()).containsExactly(0.5f, 0.5f, 0.5f);
  }

  @Test
  void unitIsXOver255AndNoneIsTheStoredValue() {
    assertThat(Preprocess.parse("unit", "x").normalization()).isEqualTo(Normalization.UNIT);
    Normalization none = Preprocess.parse("none", "x").normalization();
    assertThat(none.divisor()).isEqualTo(1f);
    assertThat(none.meanOf(0)).isZero();
    assertThat(none.stdOf(0)).isEqualTo(1f);
  }

  @Test
  void badSpecsNameTheItemAndWhereItCameFrom() {
    for (String bad : new String[] {"", "foo", "resize", "resize=0", "crop=abc", "scale=0", "scale=-2",
        "mean=0.1:0.2,std=0.1:0.2:0.3", "std=0", "unit,imagenet", "gray=1", "resize=3x4x5", "mean=nan",
        "resize=64:cubic"}) {
      assertThatThrownBy(() -> Preprocess.parse(bad, "--preprocess"))
          .as(bad).isInstanceOf(CondenseException.class).hasMessageStartingWith("--preprocess: ")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void readFromModelMetadata() {
    assertThat(Preprocess.fromMetadata(Map.of(), "m.onnx")).isNull();
    assertThat(Preprocess.fromMetadata(Map.of(Preprocess.METADATA_KEY, "unit"), "m.onnx")).isEqualTo(Preprocess.UNIT);
    assertThatThrownBy(() -> Preprocess.fromMetadata(Map.of(Preprocess.METADATA_KEY, "bogus"), "m.onnx"))
        .hasMessageStartingWith("m.onnx (metadata condense.preprocess): ");
  }

  @Test
  void imageSetReadsWithAnotherSpecAndChannelsLast() {
    // 1 sample, 2 channels of 1×2 pixels
    ImageSet d = new ImageSet("d", new byte[] {0, (byte) 255, 51, 102}, new int[] {0}, 2, 1, 2, 1, Normalization.UNIT);
    Dataset last = d.preprocessed(Preprocess.parse("scale=1,nhwc", "x"));
    assertThat(last.sampleShape()).containsExactly(1, 2, 2);
    float[] x = new float[4];
    last.fill(null, 0, 1, x, null);
    assertThat(x).containsExactly(0f, 51f, 255f, 102f);
    assertThat(last.preprocess().channelsLast()).isTrue();
    // colour conversion from the stored images, whatever was applied before
    ImageSet gray = new ImageSet("g", new byte[] {10, 20}, new int[] {0}, 1, 1, 2, 1, Normalization.UNIT);
    Dataset rgb = gray.preprocessed(Preprocess.parse("rgb,scale=1", "x")).preprocessed(Preprocess.parse("rgb,scale=1", "x"));
    assertThat(rgb.sampleShape()).containsExactly(3, 1, 2);
    float[] y = new float[6];
    rgb.fill(null, 0, 1, y, null);
    assertThat(y).containsExactly(10f, 20f, 10f, 20f, 10f, 20f);
    assertThatThrownBy(() -> gray.preprocessed(Preprocess.parse("mean=0.1:0.2:0.3", "x")))
        .isInstanceOf(CondenseException.class).hasMessageContaining("1 channel");
  }
}
