package dev.condense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.data.NpyArray;
import dev.condense.data.NpyReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * float32 → float16 and bfloat16 rounding bit for bit against NumPy's {@code astype(np.float16)}
 * and PyTorch's {@code to(torch.bfloat16)} (both round to nearest even) on ties, subnormals,
 * overflow and 5,000 random values and bit patterns ({@code onnx/dtypes/make_fixtures.py}).
 */
class HalfFloatsTest {
  private static final Path ROUNDING = Path.of("src/test/resources/onnx/dtypes/rounding.npy");

  @Test
  void narrowingMatchesNumpyAndTorchBitForBit() {
    NpyArray a = NpyReader.read(ROUNDING);
    int n = a.shape()[1];
    assertThat(n).isGreaterThan(5000);
    int halfWrong = 0;
    int bfWrong = 0;
    for (int i = 0; i < n; i++) {
      float f = Float.intBitsToFloat((int) a.getLong(i));
      if ((HalfFloats.floatToHalf(f) & 0xffff) != a.getLong(n + i)) {
        halfWrong++;
      }
      if ((HalfFloats.floatToBfloat16(f) & 0xffff) != a.getLong(2 * n + i)) {
        bfWrong++;
      }
    }
    assertThat(halfWrong).as("float16 results differing from NumPy").isZero();
    assertThat(bfWrong).as("bfloat16 results differing from PyTorch").isZero();
  }

  @Test
  void everyHalfAndBfloat16ValueSurvivesTheRoundTrip() {
    for (int h = 0; h < 1 << 16; h++) {
      float f = HalfFloats.halfToFloat((short) h);
      float b = HalfFloats.bfloat16ToFloat((short) h);
      if (Float.isNaN(f)) {
        assertThat(Float.isNaN(HalfFloats.halfToFloat(HalfFloats.floatToHalf(f)))).isTrue();
      } else {
        assertThat(HalfFloats.floatToHalf(f) & 0xffff).as("half %04x", h).isEqualTo(h);
      }
      if (!Float.isNaN(b)) {
        assertThat(HalfFloats.floatToBfloat16(b) & 0xffff).as("bfloat16 %04x", h).isEqualTo(h);
      }
    }
  }
}
