package dev.condense.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.graph.Attribute;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import dev.condense.numeric.Blas;
import dev.condense.numeric.Parallel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against float64 references: forward and backward of Conv over every input channel
 * count 1–64 (the counts where DJL's libtorch went wrong on these machines), grouped and dilated
 * convolutions, Gemm in all transpose forms, BatchNormalization and pools. Every case runs three
 * times and must give bit-identical outputs and gradients (no stale memory).
 */
class EngineStressTest {
  static final Blas BLAS = new Blas(dev.condense.engine.blas.NativeGemm.detect());
  static final Parallel PAR = new Parallel(2);
  static final double RTOL = 1e-4;
  /** bench/engine-stress.sh raises this for the long run (more random shapes, more repeats). */
  static final int SCALE = Integer.getInteger("condense.stress.scale", 1);

  @AfterAll
  static void close() {
    PAR.close();
  }

  static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 2 - 1;
    }
    return a;
  }

  static Map<String, Attribute> convAttrs(Reference64.Conv g) {
    Map<String, Attribute> a = new LinkedHashMap<>();
    a.put("kernel_shape", new Attribute.IntsAttr(new long[] {g.kh(), g.kw()}));
    a.put("strides", new Attribute.IntsAttr(new long[] {g.sh(), g.sw()}));
    a.put("pads", new Attribute.IntsAttr(new long[] {g.ph(), g.pw(), g.qh(), g.qw()}));
    a.put("dilations", new Attribute.IntsAttr(new long[] {g.dh(), g.dw()}));
    a.put("group", new Attribute.IntAttr(g.group()));
    return a;
  }

  static void checkConv(Reference64.Conv g, long seed) {
    Random r = new Random(seed);
    int cg = g.c() / g.group();
    float[] x = random(r, g.n() * g.c() * g.h() * g.w());
    float[] w = random(r, g.m() * cg * g.kh() * g.kw());
    float[] b = random(r, g.m());
    int[] outShape = {g.n(), g.m(), g.oh(), g.ow()};
    float[] gy = random(r, (int) Tensor.numel(outShape));
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", Tensor.of(x, g.n(), g.c(), g.h(), g.w()));
    in.put("w", Tensor.of(w, g.m(), cg, g.kh(), g.kw()));
    in.put("b", Tensor.of(b, g.m()));
    SingleNode run = new SingleNode(SingleNode.node("Conv", List.of("x", "w", "b"), convAttrs(g)), in,
        outShape, gy, BLAS, PAR, 2 + SCALE);
    Close.check("conv y " + g, run.output, Reference64.conv(g, x, w, b), RTOL);
    double[][] ref = Reference64.convBackward(g, x, w, gy);
    Close.check("conv dx " + g, run.grads.get("x"), ref[0], RTOL);
    Close.check("conv dw " + g, run.grads.get("w"), ref[1], RTOL);
    Close.check("conv db " + g, run.grads.get("b"), ref[2], RTOL);
  }

  static Stream<Arguments> channelCounts() {
    return IntStream.rangeClosed(1, 64).mapToObj(Arguments::of);
  }

  @ParameterizedTest(name = "conv with {0} input channels")
  @MethodSource("channelCounts")
  void convEveryChannelCount(int cin) {
    int stride = 1 + cin % 2;
    int pad = cin % 3 == 0 ? 1 : 0;
    checkConv(new Reference64.Conv(2, cin, 7, 8, 3 + cin % 7, 3, 3, stride, stride, pad, pad, pad, pad,
        1, 1, 1), cin);
  }

  static Stream<Arguments> randomConvs() {
    java.util.Random r = new java.util.Random(2026);
    return IntStream.range(0, 12 * SCALE).mapToObj(i -> {
      int c = 1 + r.nextInt(48);
      int k = 1 + r.nextInt(5);
      int s = 1 + r.nextInt(3);
      int p = r.nextInt(k);
      int d = 1 + r.nextInt(2);
      int h = Math.max((k - 1) * d + 1, 4 + r.nextInt(12));
      int g = c % 2 == 0 && r.nextBoolean() ? 2 : 1;
      int m = g * (1 + r.nextInt(8));
      return Arguments.of(new Reference64.Conv(1 + r.nextInt(5), c, h, h + r.nextInt(3), m,
          k, k, s, s, p, p, r.nextInt(k), r.nextInt(k), d, d, g), (long) i);
    });
  }

  @ParameterizedTest(name = "random conv {0}")
  @MethodSource("randomConvs")
  void randomConvShapes(Reference64.Conv g, long seed) {
    checkConv(g, seed);
  }

  @Test
  void lenetShapes() {
    checkConv(new Reference64.Conv(8, 1, 28, 28, 20, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1), 1);
    // 37 images: several cache-sized chunks per thread, the last one short.
    checkConv(new Reference64.Conv(37, 20, 12, 12, 50, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1), 2);
  }

  @Test
  void groupedDepthwiseDilatedAsymmetric() {
    checkConv(new Reference64.Conv(2, 8, 9, 9, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4), 3);
    checkConv(new Reference64.Conv(2, 6, 9, 9, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 6), 4);
    checkConv(new Reference64.Conv(2, 5, 11, 10, 4, 3, 2, 1, 2, 2, 0, 1, 1, 2, 3, 1), 5);
    checkConv(new Reference64.Conv(1, 3, 5, 5, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), 6);
  }

  /**
   * Stride-1 windows with rows as wide as the input's unfold by whole shifted planes
   * (ShiftedPlane): 3×3 pad 1, 5×5 pad 2, dilated, asymmetric, padded along the row only, a
   * kernel taller than the padded plane allows in some rows, one-pixel-wide planes, grouped.
   */
  @Test
  void sameWidthConvs() {
    checkConv(new Reference64.Conv(3, 16, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 31);
    checkConv(new Reference64.Conv(2, 5, 9, 11, 7, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1), 32);
    checkConv(new Reference64.Conv(2, 4, 10, 10, 6, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1), 33);
    checkConv(new Reference64.Conv(2, 3, 8, 9, 4, 3, 3, 1, 1, 0, 0, 2, 2, 1, 1, 1), 34);
    checkConv(new Reference64.Conv(2, 3, 8, 9, 4, 3, 3, 1, 1, 0, 1, 0, 1, 1, 1, 1), 35);
    checkConv(new Reference64.Conv(2, 3, 2, 7, 4, 5, 3, 1, 1, 2, 1, 2, 1, 1, 1, 1), 36);
    checkConv(new Reference64.Conv(2, 3, 6, 1, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 37);
    checkConv(new Reference64.Conv(2, 8, 7, 7, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2), 38);
    // Planes of at least AdjointConv.MIN_PLANE pixels take dX as a convolution of dY; most of the
    // cases above are smaller and take Wᵀ·dY and the shifted-plane col2im.
    checkConv(new Reference64.Conv(2, 5, 10, 11, 7, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1), 39);
    checkConv(new Reference64.Conv(2, 3, 10, 12, 4, 3, 3, 1, 1, 0, 0, 2, 2, 1, 1, 1), 40);
    checkConv(new Reference64.Conv(2, 3, 10, 12, 4, 3, 3, 1, 1, 0, 1, 0, 1, 1, 1, 1), 41);
    checkConv(new Reference64.Conv(2, 3, 2, 60, 4, 5, 3, 1, 1, 2, 1, 2, 1, 1, 1, 1), 42);
    checkConv(new Reference64.Conv(2, 3, 120, 1, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 43);
    checkConv(new Reference64.Conv(2, 8, 10, 10, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2), 44);
  }

  /** 1×1 stride-1 unpadded convolutions run without im2col (PointwiseConv): plain, grouped, one image, odd sizes. */
  @Test
  void pointwiseConvs() {
    checkConv(new Reference64.Conv(5, 24, 7, 9, 40, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), 21);
    checkConv(new Reference64.Conv(3, 12, 5, 5, 18, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 3), 22);
    checkConv(new Reference64.Conv(1, 1, 4, 6, 3, 1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 1), 23);
    checkConv(new Reference64.Conv(9, 17, 3, 1, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), 24);
    // strided or padded 1×1 windows still unfold
    checkConv(new Reference64.Conv(3, 8, 6, 6, 4, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1), 25);
    checkConv(new Reference64.Conv(3, 8, 6, 6, 4, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1), 26);
  }

  @Test
  void gemmAllTransposes() {
    Random r = new Random(7);
    int m = 13;
    int k = 37;
    int n = 11;
    for (int ta = 0; ta < 2; ta++) {
      for (int tb = 0; tb < 2; tb++) {
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c = random(r, n);
        float[] gy = random(r, m * n);
        float alpha = 0.5f;
        float beta = 2f;
        float[] aStored = ta == 1 ? Reference64.transpose(a, m, k) : a;
        float[] bStored = tb == 1 ? Reference64.transpose(b, k, n) : b;
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        in.put("a", ta == 1 ? Tensor.of(aStored, k, m) : Tensor.of(a, m, k));
        in.put("b", tb == 1 ? Tensor.of(bStored, n, k) : Tensor.of(b, k, n));
        in.put("c", Tensor.of(c, n));
        Map<String, Attribute> attrs = Map.of("transA", new Attribute.IntAttr(ta), "transB",
            new Attribute.IntAttr(tb), "alpha", new Attribute.FloatAttr(alpha), "beta", new Attribute.FloatAttr(beta));
        SingleNode run = new SingleNode(SingleNode.node("Gemm", List.of("a", "b", "c"), attrs), in,
            new int[] {m, n}, gy, BLAS, PAR, 3);
        double[] y = Reference64.matmul(a, b, m, k, n);
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            y[i * n + j] = alpha * y[i * n + j] + beta * c[j];
          }
        }
        Close.check("gemm y", run.output, y, RTOL);
        // dA = alpha·gy·bᵀ, dB = alpha·aᵀ·gy (in the stored layout), dC = beta·Σ_rows gy.
        double[] da = Reference64.matmul(gy, Reference64.transpose(b, k, n), m, n, k);
        double[] db = Reference64.matmul(Reference64.transpose(a, m, k), gy, k, m, n);
        for (int i = 0; i < da.length; i++) {
          da[i] *= alpha;
        }
        for (int i = 0; i < db.length; i++) {
          db[i] *= alpha;
        }
        double[] dc = new double[n];
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            dc[j] += beta * gy[i * n + j];
          }
        }
        Close.check("gemm dA", ta == 1 ? Reference64.transpose(run.grads.get("a"), k, m) : run.grads.get("a"), da, RTOL);
        Close.check("gemm dB", tb == 1 ? Reference64.transpose(run.grads.get("b"), n, k) : run.grads.get("b"), db, RTOL);
        Close.check("gemm dC", run.grads.get("c"), dc, RTOL);
      }
    }
  }

  @Test
  void batchNormTraining() {
    batchNormTraining(0f);
  }

  /** The one-pass statistics (shifted sums) keep the variance when the mean is far from zero. */
  @Test
  void batchNormTrainingFarFromZero() {
    batchNormTraining(40f);
  }

  private static void batchNormTraining(float offset) {
    Random r = new Random(11);
    int n = 4;
    int c = 6;
    int s = 25;
    float[] x = random(r, n * c * s);
    for (int i = 0; i < x.length; i++) {
      x[i] += offset;
    }
    float[] scale = random(r, c);
    float[] bias = random(r, c);
    float[] gy = random(r, x.length);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", Tensor.of(x, n, c, 5, 5));
    in.put("scale", Tensor.of(scale, c));
    in.put("bias", Tensor.of(bias, c));
    in.put("mean", Tensor.of(new float[c], c));
    in.put("var", Tensor.of(new float[c], c));
    SingleNode run = new SingleNode(SingleNode.node("BatchNormalization",
        List.of("x", "scale", "bias", "mean", "var"), Map.of()), in, new int[] {n, c, 5, 5}, gy, BLAS, PAR, 3);
    double[][] ref = Reference64.batchNormTraining(x, scale, bias, gy, n, c, s, 1e-5);
    Close.check("bn y", run.output, ref[0], RTOL);
    Close.check("bn dx", run.grads.get("x"), ref[1], RTOL);
    Close.check("bn dscale", run.grads.get("scale"), ref[2], RTOL);
    Close.check("bn dbias", run.grads.get("bias"), ref[3], RTOL);
    assertThat(run.grads).doesNotContainKeys("mean", "var");
  }

  @Test
  void pools() {
    Random r = new Random(13);
    for (String op : List.of("MaxPool", "AveragePool")) {
      for (int[] kp : new int[][] {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}}) {
        int k = kp[0];
        int st = kp[1];
        int pad = kp[2];
        int planes = 6;
        int h = 10;
        int w = 9;
        int oh = (h + 2 * pad - k) / st + 1;
        int ow = (w + 2 * pad - k) / st + 1;
        float[] x = random(r, planes * h * w);
        float[] gy = random(r, planes * oh * ow);
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        in.put("x", Tensor.of(x, 2, 3, h, w));
        Map<String, Attribute> attrs = Map.of("kernel_shape", new Attribute.IntsAttr(new long[] {k, k}),
            "strides", new Attribute.IntsAttr(new long[] {st, st}),
            "pads", new Attribute.IntsAttr(new long[] {pad, pad, pad, pad}));
        SingleNode run = new SingleNode(SingleNode.node(op, List.of("x"), attrs), in,
            new int[] {2, 3, oh, ow}, gy, BLAS, PAR, 3);
        double[][] ref = Reference64.pool(op.equals("MaxPool"), x, gy, planes, h, w, k, st, pad, oh, ow);
        Close.check(op + " y", run.output, ref[0], RTOL);
        Close.check(op + " dx", run.grads.get("x"), ref[1], RTOL);
      }
    }
  }
}
