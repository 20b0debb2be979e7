package dev.condense.bench;

import dev.condense.engine.blas.NativeGemm;
import dev.condense.numeric.Blas;
import dev.condense.numeric.Parallel;
import dev.condense.quant.KMeans;
import dev.condense.quant.KMeans1D;
import dev.condense.quant.OptimalKMeans1D;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Condense's k-means on a raw float32 file of n × d values (written by bench/kmeans/run.py), timed
 * like the scikit-learn peer: one fit, k-means++ init, tol 1e-4, at most 300 iterations. Prints one
 * JSON line with the seconds, the inertia and the iterations.
 *
 * <p>Usage: KMeansBench FILE N D K THREADS [vector|1d-plusplus|1d-linear|1d-density|1d-exact]
 */
public final class KMeansBench {
  private KMeansBench() {}

  public static void main(String[] a) throws Exception {
    Path file = Path.of(a[0]);
    int n = Integer.parseInt(a[1]);
    int d = Integer.parseInt(a[2]);
    int k = Integer.parseInt(a[3]);
    int threads = Integer.parseInt(a[4]);
    String mode = a.length > 5 ? a[5] : "vector";
    float[] x = new float[n * d];
    ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
    long t0 = System.nanoTime();
    double inertia;
    int iterations;
    if (mode.equals("vector")) {
      try (Parallel par = new Parallel(threads)) {
        KMeans.Result r = new KMeans(new Blas(NativeGemm.detect()), par).fit(x, n, d, k, 0, 300, 1e-4);
        inertia = r.inertia();
        iterations = r.iterations();
      }
    } else if (mode.equals("1d-exact")) {
      inertia = KMeans1D.inertia(x, OptimalKMeans1D.fit(x, k));
      iterations = 0;
    } else {
      KMeans1D.Init init = switch (mode) {
        case "1d-density" -> KMeans1D.Init.DENSITY;
        case "1d-linear" -> KMeans1D.Init.LINEAR;
        default -> KMeans1D.Init.PLUSPLUS;
      };
      KMeans1D.Result r = KMeans1D.fit(x, k, init, 0, 300);
      inertia = KMeans1D.inertia(x, r.centroids());
      iterations = r.iterations();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("{\"framework\": \"condense-%s\", \"seconds\": %.4f, \"inertia\": %.8g, \"iterations\": %d}%n",
        mode, seconds, inertia, iterations);
  }
}
