package dev.condense.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsrEncodingTest {
  @Test
  void roundTripAndSize() {
    Random r = new Random(3);
    int rows = 300;
    int cols = 784;
    float[] w = new float[rows * cols];
    int nnz = 0;
    for (int i = 0; i < w.length; i++) {
      if (r.nextDouble() < 0.08) {
        w[i] = r.nextFloat() - 0.5f;
        nnz += w[i] != 0 ? 1 : 0;
      }
    }
    byte[] b = CsrEncoding.encode(w, rows, cols);
    assertThat(b.length).isEqualTo(12 + 4 * (rows + 1) + 2 * nnz + 4 * nnz);
    assertThat(java.util.Arrays.equals(CsrEncoding.decode(b), w)).isTrue();
    byte[] wide = CsrEncoding.encode(new float[] {0, 1, 0, 2}, 1, 4);
    assertThat(CsrEncoding.decode(wide)).containsExactly(0, 1, 0, 2);
    assertThatThrownBy(() -> CsrEncoding.decode(java.util.Arrays.copyOf(b, b.length - 3)))
        .isInstanceOf(CondenseException.class).hasMessageContaining("truncated");
  }
}
