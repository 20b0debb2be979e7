package dev.condense.numeric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pure-Java GEMM against a float64 reference, in every transpose form, with offsets and strides. */
class JavaGemmTest {
  @Test
  void matchesFloat64Reference() {
    Random r = new Random(2);
    JavaGemm g = new JavaGemm();
    Blas split = new Blas(g);
    try (Parallel par = new Parallel(2)) {
      for (int[] s : new int[][] {{1, 1, 1}, {7, 5, 3}, {33, 65, 129}, {200, 150, 300}}) {
        int m = s[0];
        int n = s[1];
        int k = s[2];
        for (int ta = 0; ta < 2; ta++) {
          for (int tb = 0; tb < 2; tb++) {
            int lda = (ta == 1 ? m : k) + 3;
            int ldb = (tb == 1 ? k : n) + 2;
            int ldc = n + 1;
            float[] a = rand(r, (ta == 1 ? k : m) * lda + 5);
            float[] b = rand(r, (tb == 1 ? n : k) * ldb + 5);
            float[] c0 = rand(r, m * ldc + 5);
            float[] c = c0.clone();
            float[] c2 = c0.clone();
            g.gemm(ta == 1, tb == 1, m, n, k, 0.5f, a, 5, lda, b, 5, ldb, 2f, c, 5, ldc);
            split.gemm(par, ta == 1, tb == 1, m, n, k, 0.5f, a, 5, lda, b, 5, ldb, 2f, c2, 5, ldc);
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                double ref = 2.0 * c0[5 + i * ldc + j];
                for (int p = 0; p < k; p++) {
                  double av = ta == 1 ? a[5 + p * lda + i] : a[5 + i * lda + p];
                  double bv = tb == 1 ? b[5 + j * ldb + p] : b[5 + p * ldb + j];
                  ref += 0.5 * av * bv;
                }
                assertThat((double) c[5 + i * ldc + j]).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(ref))));
                assertThat(c2[5 + i * ldc + j]).isEqualTo(c[5 + i * ldc + j]);
              }
            }
            assertThat(c[0]).isEqualTo(c0[0]); // outside C untouched
          }
        }
      }
    }
  }

  static float[] rand(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 2 - 1;
    }
    return a;
  }
}
