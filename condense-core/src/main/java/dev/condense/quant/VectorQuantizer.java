package dev.condense.quant;

import dev.condense.CondenseException;

/**
 * The vector quantizers of Gong et al. 2014 for a weight matrix W [m × n] (a fully connected
 * layer; a conv kernel seen as [filters × rest]). Each turns W into a table of shared values and,
 * per weight, indices into it ({@link VqLayer}), so the same machinery stores, exports, runs and
 * fine-tunes all four.
 */
public sealed interface VectorQuantizer {

  /** A short label for tables and plots ("PQ s=98 k=16"). */
  String label();

  /** Codes {@code w} ([rows × cols], row-major). */
  VqLayer quantize(float[] w, int rows, int cols, long seed, KMeans kmeans);

  /**
   * Gong et al.'s compression rate for an m × n layer: 32-bit weights over the bits of the
   * codebooks (32 per value) and codes (log2 k each), k capped by the vectors k-means sees.
   */
  double paperRate(int m, int n);

  /**
   * Fails, naming the setting, when it asks for more than any of the {@code layers} ({rows, cols}
   * each) it codes has: more codewords than there are values or vectors to cluster, a PQ segment
   * wider than every row. K-means could never use them, and a huge k would run for minutes first.
   */
  default void checkFits(int[][] layers) {}

  /** The largest of {@code f(rows, cols)} over {@code layers}. */
  private static long largest(int[][] layers, java.util.function.ToLongFunction<int[]> f) {
    long max = 0;
    for (int[] l : layers) {
      max = Math.max(max, f.applyAsLong(l));
    }
    return max;
  }

  private static double log2(int k) {
    return Math.log(k) / Math.log(2);
  }

  /** Binarization: w ↦ sign(w) · scale, scale = mean |w| of the layer (1 when unscaled). 32×. */
  record Binary(boolean scaled) implements VectorQuantizer {
    @Override
    public String label() {
      return scaled ? "binary (scaled)" : "binary";
    }

    @Override
    public VqLayer quantize(float[] w, int rows, int cols, long seed, KMeans kmeans) {
      double s = 0;
      for (float v : w) {
        s += Math.abs(v);
      }
      float scale = scaled ? (float) (s / w.length) : 1f;
      int[] code = new int[w.length];
      for (int i = 0; i < w.length; i++) {
        code[i] = w[i] >= 0 ? 1 : 0;
      }
      return VqLayer.scalar(this, rows, cols, new float[] {-scale, scale}, code);
    }

    @Override
    public double paperRate(int m, int n) {
      return 32;
    }
  }

  /** Scalar k-means: one 1-D codebook of k values for the whole layer. */
  record Scalar(int k) implements VectorQuantizer {
    public Scalar {
      check(k >= 2, "scalar quantization needs k ≥ 2");
    }

    @Override
    public void checkFits(int[][] layers) {
      long weights = largest(layers, l -> (long) l[0] * l[1]);
      check(k <= weights, "k = " + k + " codewords is more than the " + weights + " weights of the largest layer quantized");
    }

    @Override
    public String label() {
      return "k-means k=" + k;
    }

    @Override
    public VqLayer quantize(float[] w, int rows, int cols, long seed, KMeans kmeans) {
      // Gong §3.2 runs k-means on the scalars; the exact 1-D optimum is cheap for layers this size.
      float[] c = OptimalKMeans1D.affordable(w.length, k) ? OptimalKMeans1D.fit(w, k)
          : KMeans1D.fit(w, k, KMeans1D.Init.PLUSPLUS, seed, 300).centroids();
      int[] code = new int[w.length];
      for (int i = 0; i < w.length; i++) {
        code[i] = KMeans1D.nearest(c, w[i]);
      }
      return VqLayer.scalar(this, rows, cols, c, code);
    }

    @Override
    public double paperRate(int m, int n) {
      double mn = (double) m * n;
      int kk = (int) Math.min(k, mn);
      return 32 * mn / (mn * log2(kk) + 32.0 * kk);
    }
  }

  /**
   * Product quantization: each row cut into segments of {@code width} columns (the last one
   * shorter if the width does not divide the row; rows instead of columns when
   * {@code alongColumns}: the matrix is transposed first); in each segment, k-means on the
   * sub-vectors, one codebook of k per segment.
   */
  record Product(int width, int k, boolean alongColumns) implements VectorQuantizer {
    public Product {
      check(width >= 1 && k >= 2, "product quantization needs a segment width ≥ 1 and k ≥ 2");
    }

    @Override
    public void checkFits(int[][] layers) {
      long vectors = largest(layers, l -> alongColumns ? l[1] : l[0]);
      long length = largest(layers, l -> alongColumns ? l[0] : l[1]);
      check(k <= vectors, "k = " + k + " codewords is more than the " + vectors
          + " sub-vectors per segment of the largest layer quantized");
      check(width <= length, "a segment width of " + width + " is more than the " + length
          + " values of the longest row quantized");
    }

    @Override
    public String label() {
      return "PQ w=" + width + " k=" + k + (alongColumns ? " (columns)" : "");
    }

    @Override
    public VqLayer quantize(float[] w, int rows, int cols, long seed, KMeans kmeans) {
      float[] v = alongColumns ? transpose(w, rows, cols) : w;
      int m = alongColumns ? cols : rows;
      int n = alongColumns ? rows : cols;
      int segments = (n + width - 1) / width;
      float[][] books = new float[segments][];
      int[][] codes = new int[segments][];
      int[] widths = new int[segments];
      for (int s = 0; s < segments; s++) {
        int wd = Math.min(width, n - s * width);
        widths[s] = wd;
        float[] sub = new float[m * wd];
        for (int r = 0; r < m; r++) {
          System.arraycopy(v, r * n + s * width, sub, r * wd, wd);
        }
        KMeans.Result res = kmeans.fit(sub, m, wd, k, seed + s, 300, 1e-4);
        books[s] = res.centroids();
        codes[s] = res.assignment();
      }
      return VqLayer.product(this, rows, cols, alongColumns, widths, books, codes);
    }

    @Override
    public double paperRate(int m, int n) {
      int rows = alongColumns ? n : m;
      int cols = alongColumns ? m : n;
      int kk = Math.min(k, rows);
      int segments = (cols + width - 1) / width;
      return 32.0 * m * n / (32.0 * kk * cols + (double) rows * segments * log2(kk));
    }
  }

  /**
   * Residual quantization: k-means on the rows, then on what is left of them, {@code stages}
   * times; a row is the sum of one codeword per stage.
   */
  record Residual(int stages, int k) implements VectorQuantizer {
    /** The most stages: 32 stages of even 2 codewords spend as many bits per row as 32-bit floats per value. */
    public static final int MAX_STAGES = 32;

    public Residual {
      check(stages >= 1 && k >= 2, "residual quantization needs stages ≥ 1 and k ≥ 2");
    }

    @Override
    public void checkFits(int[][] layers) {
      long vectors = largest(layers, l -> l[0]);
      check(k <= vectors, "k = " + k + " codewords is more than the " + vectors + " rows of the largest layer quantized");
      check(stages <= MAX_STAGES, stages + " stages are more than the " + MAX_STAGES
          + " residual quantization can use (each stage's codes cost bits, and the residual is noise by then)");
    }

    @Override
    public String label() {
      return "RQ t=" + stages + " k=" + k;
    }

    @Override
    public VqLayer quantize(float[] w, int rows, int cols, long seed, KMeans kmeans) {
      float[] residual = w.clone();
      float[][] books = new float[stages][];
      int[][] codes = new int[stages][];
      for (int t = 0; t < stages; t++) {
        KMeans.Result res = kmeans.fit(residual, rows, cols, k, seed + t, 300, 1e-4);
        books[t] = res.centroids();
        codes[t] = res.assignment();
        for (int r = 0; r < rows; r++) {
          int c = codes[t][r];
          for (int q = 0; q < cols; q++) {
            residual[r * cols + q] -= books[t][c * cols + q];
          }
        }
      }
      return VqLayer.residual(this, rows, cols, books, codes);
    }

    @Override
    public double paperRate(int m, int n) {
      int kk = Math.min(k, m);
      return 32.0 * m * n / (32.0 * stages * kk * n + (double) stages * m * log2(kk));
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new CondenseException(message);
    }
  }

  static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }
}
