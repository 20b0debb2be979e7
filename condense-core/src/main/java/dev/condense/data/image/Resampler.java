package dev.condense.data.image;

/**
 * PIL's {@code Image.resize} for 8-bit images, bit for bit (Pillow's {@code Resample.c}): a
 * separable convolution, horizontal pass then vertical, whose filter support grows with the
 * downscaling factor (so shrinking antialiases), coefficients normalised in double and applied in
 * fixed point with 22 fractional bits, rounded and clipped to 0..255 ({@code precompute_coeffs},
 * {@code normalize_coeffs_8bpc}, {@code ImagingResampleHorizontal_8bpc} and {@code _Vertical_8bpc}
 * of Pillow 9.4). NEAREST is Pillow's affine scale ({@code ImagingScaleAffine}). Checked byte for
 * byte against Pillow 9.4 by {@code ImageTransformPillowTest}.
 */
public final class Resampler {
  /** Pillow's PRECISION_BITS for 8-bit images: 32 − 8 − 2. */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private Resampler() {}

  /** {@code in} resized to {@code height}×{@code width}, as PIL's {@code Image.resize}. */
  public static Image resize(Image in, int height, int width, Interpolation interpolation) {
    if (interpolation == Interpolation.NEAREST) {
      return nearest(in, height, width);
    }
    int c = in.channels();
    int h = in.height();
    int w = in.width();
    byte[] src = in.pixels();
    // horizontal pass: h rows of w → width
    byte[] mid = src;
    if (width != w) {
      Coefficients k = Coefficients.bilinear(w, width);
      mid = new byte[c * h * width];
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          int row = (ch * h + y) * w;
          int outRow = (ch * h + y) * width;
          for (int x = 0; x < width; x++) {
            int min = k.min[x];
            int n = k.count[x];
            int base = x * k.size;
            int ss = 1 << (PRECISION_BITS - 1);
            for (int i = 0; i < n; i++) {
              ss += (src[row + min + i] & 0xff) * k.weights[base + i];
            }
            mid[outRow + x] = clip8(ss);
          }
        }
      }
    }
    if (height == h) {
      return new Image(mid, c, h, width);
    }
    Coefficients k = Coefficients.bilinear(h, height);
    byte[] out = new byte[c * height * width];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < height; y++) {
        int min = k.min[y];
        int n = k.count[y];
        int base = y * k.size;
        for (int x = 0; x < width; x++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int i = 0; i < n; i++) {
            ss += (mid[(ch * h + min + i) * width + x] & 0xff) * k.weights[base + i];
          }
          out[(ch * height + y) * width + x] = clip8(ss);
        }
      }
    }
    return new Image(out, c, height, width);
  }

  private static byte clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /**
   * PIL's NEAREST, as Pillow's {@code _resize} (an affine scale) and {@code ImagingScaleAffine}
   * ({@code libImaging/Geometry.c}) compute it: the source coordinate starts at {@code scale / 2}
   * and grows by repeated addition of {@code scale} in double — not {@code (x + 0.5) · scale},
   * which differs where the sum lands just below an integer — truncated; a coordinate past the
   * image leaves the pixel 0.
   */
  private static Image nearest(Image in, int height, int width) {
    int c = in.channels();
    int h = in.height();
    int w = in.width();
    int[] xs = affineScale(w, width);
    int[] ys = affineScale(h, height);
    byte[] src = in.pixels();
    byte[] out = new byte[c * height * width];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < height; y++) {
        if (ys[y] < 0) {
          continue;
        }
        int row = (ch * h + ys[y]) * w;
        int outRow = (ch * height + y) * width;
        for (int x = 0; x < width; x++) {
          if (xs[x] >= 0) {
            out[outRow + x] = src[row + xs[x]];
          }
        }
      }
    }
    return new Image(out, c, height, width);
  }

  /** Per output index, the source index {@code ImagingScaleAffine} reads, or −1 for none. */
  private static int[] affineScale(int inSize, int outSize) {
    double a = (double) inSize / outSize;
    double o = a * 0.5;
    int[] index = new int[outSize];
    for (int x = 0; x < outSize; x++) {
      int i = o < 0.0 ? -1 : (int) o; // Geometry.c's COORD
      index[x] = i < inSize ? i : -1;
      o += a;
    }
    return index;
  }

  /** Per output pixel: the first source pixel, how many, and their fixed-point weights. */
  private record Coefficients(int size, int[] min, int[] count, int[] weights) {
    /** Pillow's {@code precompute_coeffs} with the bilinear (triangle) filter, support 1. */
    static Coefficients bilinear(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = 1.0 * filterScale;
      int size = (int) Math.ceil(support) * 2 + 1;
      int[] min = new int[outSize];
      int[] count = new int[outSize];
      int[] weights = new int[outSize * size];
      double[] k = new double[size];
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        double ww = 0.0;
        double ss = 1.0 / filterScale;
        int xmin = Math.max(0, (int) (center - support + 0.5));
        int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
        for (int x = 0; x < xmax; x++) {
          double t = Math.abs((x + xmin - center + 0.5) * ss);
          double wgt = t < 1.0 ? 1.0 - t : 0.0;
          k[x] = wgt;
          ww += wgt;
        }
        for (int x = 0; x < xmax; x++) {
          double v = ww != 0.0 ? k[x] / ww : k[x];
          // normalize_coeffs_8bpc: round half away from zero into fixed point
          weights[xx * size + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
        }
        min[xx] = xmin;
        count[xx] = xmax;
      }
      return new Coefficients(size, min, count, weights);
    }
  }
}
