package dev.condense.engine.cpu;

import static dev.condense.engine.cpu.CentralDifference.random;

import dev.condense.graph.Attribute;
import dev.condense.graph.Node;
import dev.condense.graph.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ConvTranspose and Resize: forward against float64 references written here from the ONNX
 * definitions (a scatter loop for ConvTranspose, the coordinate formulas for Resize), backward
 * against central differences of them ({@link CentralDifference}), for input, weight and bias.
 */
class UpsamplingGradientTest {

  private static Map<String, Attribute> attrs(Object... kv) {
    Map<String, Attribute> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      Object v = kv[i + 1];
      m.put((String) kv[i], v instanceof long[] l ? new Attribute.IntsAttr(l)
          : v instanceof String s ? new Attribute.StringAttr(s) : new Attribute.IntAttr((Long) v));
    }
    return m;
  }

  /** 2-D ConvTranspose by its definition: x[b, ci, iy, ix]·w[ci, o, ky, kx] lands on y[b, g·cog+o, iy·s − p + ky·d, ...]. */
  static double[] convTranspose(double[] x, double[] w, double[] bias, int n, int cin, int h, int wd, int cog, int kh,
      int kw, int[] s, int[] d, int[] pb, int group, int oh, int ow) {
    int cout = cog * group;
    int cig = cin / group;
    double[] y = new double[n * cout * oh * ow];
    for (int b = 0; b < n; b++) {
      for (int co = 0; co < cout; co++) {
        for (int q = 0; q < oh * ow; q++) {
          y[(b * cout + co) * oh * ow + q] = bias == null ? 0 : bias[co];
        }
      }
      for (int ci = 0; ci < cin; ci++) {
        int g = ci / cig;
        for (int iy = 0; iy < h; iy++) {
          for (int ix = 0; ix < wd; ix++) {
            double v = x[((b * cin + ci) * h + iy) * wd + ix];
            for (int o = 0; o < cog; o++) {
              for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                  int oy = iy * s[0] - pb[0] + ky * d[0];
                  int ox = ix * s[1] - pb[1] + kx * d[1];
                  if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                    int co = g * cog + o;
                    y[((b * cout + co) * oh + oy) * ow + ox] += v * w[((ci * cog + o) * kh + ky) * kw + kx];
                  }
                }
              }
            }
          }
        }
      }
    }
    return y;
  }

  @Test
  void groupedStridedPaddedConvTransposeWithOutputPadding() {
    SplittableRandom r = new SplittableRandom(21);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, 2, 4, 3, 3));
    in.put("w", random(r, 4, 3, 3, 2));
    in.put("b", random(r, 6));
    // out = s·(in−1) + output_padding + (k−1)·d + 1 − pads: 2·2+1+3−1−0 = 7 rows, 3·2+0+3−0−1 = 8 columns.
    Node ct = new Node("ct", "ConvTranspose", List.of("x", "w", "b"), List.of("y"), attrs("strides", new long[] {2, 3},
        "pads", new long[] {1, 0, 0, 1}, "output_padding", new long[] {1, 0}, "dilations", new long[] {1, 2},
        "group", 2L));
    CentralDifference.check(List.of(ct), in, "y", new int[] {2, 6, 7, 8},
        v -> convTranspose(v.get("x"), v.get("w"), v.get("b"), 2, 4, 3, 3, 3, 3, 2, new int[] {2, 3},
            new int[] {1, 2}, new int[] {1, 0}, 2, 7, 8), 1);
  }

  @Test
  void convTransposeWithOutputShapeAndOneDimensional() {
    SplittableRandom r = new SplittableRandom(22);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, 1, 2, 3, 2));
    in.put("w", random(r, 2, 2, 2, 2));
    // output_shape [7, 5]: full 2·2+2 = 6 rows, 2·1+2 = 4 columns, so nothing is cut and the last row and column get no window.
    Node shaped = new Node("ct", "ConvTranspose", List.of("x", "w"), List.of("y"),
        attrs("strides", new long[] {2, 2}, "output_shape", new long[] {7, 5}));
    CentralDifference.check(List.of(shaped), in, "y", new int[] {1, 2, 7, 5},
        v -> convTranspose(v.get("x"), v.get("w"), null, 1, 2, 3, 2, 2, 2, 2, new int[] {2, 2}, new int[] {1, 1},
            new int[] {0, 0}, 1, 7, 5), 2);
    // 1-D as a plane of height 1: SAME_UPPER with stride 2 gives 2·5 = 10 outputs, total padding 2·4+3−10 = 1 at the end.
    in.clear();
    in.put("x", random(r, 2, 3, 5));
    in.put("w", random(r, 3, 2, 3));
    in.put("b", random(r, 2));
    Node oneD = new Node("ct", "ConvTranspose", List.of("x", "w", "b"), List.of("y"),
        attrs("strides", new long[] {2}, "auto_pad", "SAME_UPPER"));
    CentralDifference.check(List.of(oneD), in, "y", new int[] {2, 2, 10},
        v -> convTranspose(v.get("x"), v.get("w"), v.get("b"), 2, 3, 1, 5, 2, 1, 3, new int[] {1, 2}, new int[] {1, 1},
            new int[] {0, 0}, 1, 1, 10), 3);
  }

  /** x_original by Resize-13's coordinate_transformation_mode, in double. */
  private static double original(int j, int len, int out, String coord) {
    double scale = (double) out / len;
    return switch (coord) {
      case "half_pixel" -> (j + 0.5) / scale - 0.5;
      case "pytorch_half_pixel" -> out > 1 ? (j + 0.5) / scale - 0.5 : 0;
      case "align_corners" -> out == 1 ? 0 : j * (len - 1.0) / (out - 1);
      case "asymmetric" -> j / scale;
      default -> throw new IllegalArgumentException(coord);
    };
  }

  /** Resize of the last two axes of an NCHW tensor, by the definition: bilinear from the four neighbours or the nearest one. */
  static double[] resize(double[] x, int nc, int h, int w, int oh, int ow, String mode, String coord, String nearest) {
    double[] y = new double[nc * oh * ow];
    for (int p = 0; p < nc; p++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double fy = original(oy, h, oh, coord);
          double fx = original(ox, w, ow, coord);
          double v;
          if (mode.equals("nearest")) {
            v = x[(p * h + nearest(fy, nearest, h)) * w + nearest(fx, nearest, w)];
          } else {
            fy = Math.max(0, Math.min(fy, h - 1));
            fx = Math.max(0, Math.min(fx, w - 1));
            int y0 = (int) Math.floor(fy);
            int x0 = (int) Math.floor(fx);
            int y1 = Math.min(y0 + 1, h - 1);
            int x1 = Math.min(x0 + 1, w - 1);
            double ay = fy - y0;
            double ax = fx - x0;
            v = (1 - ay) * ((1 - ax) * x[(p * h + y0) * w + x0] + ax * x[(p * h + y0) * w + x1])
                + ay * ((1 - ax) * x[(p * h + y1) * w + x0] + ax * x[(p * h + y1) * w + x1]);
          }
          y[(p * oh + oy) * ow + ox] = v;
        }
      }
    }
    return y;
  }

  private static int nearest(double f, String mode, int len) {
    double fl = Math.floor(f);
    int i = (int) switch (mode) {
      case "floor" -> fl;
      case "ceil" -> Math.ceil(f);
      case "round_prefer_ceil" -> f - fl == 0.5 ? fl + 1 : Math.round(f);
      default -> f - fl == 0.5 ? fl : Math.round(f);
    };
    return Math.max(0, Math.min(i, len - 1));
  }

  private static void checkResize(String mode, String coord, String nearest, int oh, int ow, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", random(r, 2, 3, 3, 4));
    in.put("sizes", Tensor.ofLongs(new long[] {2, 3, oh, ow}, 4));
    Node n = new Node("rs", "Resize", List.of("x", "", "", "sizes"), List.of("y"),
        attrs("mode", mode, "coordinate_transformation_mode", coord, "nearest_mode", nearest));
    CentralDifference.check(List.of(n), in, "y", new int[] {2, 3, oh, ow},
        v -> resize(v.get("x"), 6, 3, 4, oh, ow, mode, coord, nearest), seed);
  }

  @Test
  void bilinearResizeInTheModesExportersWrite() {
    checkResize("linear", "pytorch_half_pixel", "floor", 6, 8, 31); // nn.Upsample(bilinear), align_corners=False
    checkResize("linear", "align_corners", "floor", 7, 5, 32); // align_corners=True, up and down
    checkResize("linear", "half_pixel", "floor", 2, 7, 33);
    checkResize("linear", "asymmetric", "floor", 5, 3, 34);
  }

  @Test
  void nearestResizeInEveryRounding() {
    checkResize("nearest", "asymmetric", "floor", 6, 8, 41); // nn.Upsample(nearest) at opset 11+
    checkResize("nearest", "half_pixel", "round_prefer_ceil", 5, 7, 42);
    checkResize("nearest", "align_corners", "round_prefer_floor", 7, 3, 43);
    checkResize("nearest", "pytorch_half_pixel", "ceil", 2, 6, 44);
  }
}
