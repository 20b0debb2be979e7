package dev.condense.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every sparse encoding decodes back, in both walk orders (CSR and CSC) and with gaps longer than
 * the gap width (filler entries): the values, the mask of stored positions and each weight's
 * codebook index, element by element.
 */
class SparseLayoutsTest {
  @Test
  void everySparseEncodingRoundTripsInBothLayouts() {
    float[] book = {-0.5f, -0.25f, 0.125f, 0.75f, 1.5f};
    Random r = new Random(17);
    for (int rows : new int[] {1, 7, 40}) {
      int cols = 53;
      float[] w = new float[rows * cols];
      for (int i = 0; i < w.length; i++) {
        w[i] = r.nextInt(9) == 0 ? book[r.nextInt(book.length)] : 0f; // about 1 in 9 kept: long gaps
      }
      Tensor t = Tensor.of(w, rows, cols);
      for (TensorEncoder.Layout layout : TensorEncoder.Layout.values()) {
        for (Encoding enc : new Encoding[] {Encoding.SPARSE, Encoding.SPARSE_CODEBOOK, Encoding.SPARSE_CODEBOOK_HUFFMAN}) {
          float[] codebook = enc == Encoding.SPARSE ? null : book;
          String what = rows + "x" + cols + " " + layout + " " + enc;
          EncodedTensor e = TensorEncoder.encode(t, codebook, enc, 2, layout);
          TensorEncoder.Decoded d = TensorEncoder.decodeAnnotated(e.payload(), what, 1 << 20);
          assertThat(d.tensor()).as(what).isEqualTo(t);
          for (int i = 0; i < w.length; i++) {
            assertThat(d.mask().keep()[i]).as(what + " mask " + i).isEqualTo(w[i] != 0f);
            if (d.codebook() != null) {
              int expected = w[i] == 0f ? -1 : java.util.Arrays.binarySearch(book, w[i]);
              assertThat(d.codebook().index()[i]).as(what + " index " + i).isEqualTo(expected);
            }
          }
          if (enc != Encoding.SPARSE) {
            assertThat(d.codebook()).as(what).isNotNull();
          }
        }
      }
    }
  }
}
