package dev.condense.data.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ImageTransform} against Pillow 9.4 and torchvision 0.14, byte for byte: PIL's
 * {@code convert}, {@code transforms.Resize} (shorter side and exact, bilinear with antialiasing
 * and nearest, up and down, odd ratios, seeded random sizes) and {@code transforms.CenterCrop}
 * (odd differences, crops larger than the image). Fixtures: {@code tools/image-fixtures.py}.
 */
class ImageTransformPillowTest {
  static Stream<Arguments> cases() {
    List<String[]> cases = PillowFixtures.cases("transforms.txt");
    assertTrue(cases.size() > 60, "the fixture list has its cases");
    return cases.stream().map(f -> Arguments.of(f[0], f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameBytesAsPillowAndTorchvision(String name, String[] f) {
    Image in = PillowFixtures.image(f[1], f[2], f[3], f[4]);
    Image expected = PillowFixtures.image(f[8], f[9], f[10], f[11]);
    Image actual = ImageTransform.apply(in, color(f[5]), resize(f[6]), crop(f[7]));
    PillowFixtures.assertSamePixels(expected, actual, f[0] + " (" + f[5] + " resize " + f[6] + " crop " + f[7] + ")");
  }

  private static ColorMode color(String s) {
    return switch (s) {
      case "gray" -> ColorMode.GRAY;
      case "rgb" -> ColorMode.RGB;
      default -> ColorMode.KEEP;
    };
  }

  private static Resize resize(String s) {
    if (s.equals("-")) {
      return null;
    }
    Interpolation interp = s.endsWith(":nearest") ? Interpolation.NEAREST : Interpolation.BILINEAR;
    String[] hw = s.replace(":nearest", "").split("x");
    int h = Integer.parseInt(hw[0]);
    return hw.length == 1 ? new Resize(h, h, true, interp) : new Resize(h, Integer.parseInt(hw[1]), false, interp);
  }

  private static Size crop(String s) {
    if (s.equals("-")) {
      return null;
    }
    String[] hw = s.split("x");
    return new Size(Integer.parseInt(hw[0]), Integer.parseInt(hw[1]));
  }
}
