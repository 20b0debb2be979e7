package dev.condense.data.image;

import dev.condense.CondenseException;

/**
 * torchvision's evaluation transform on one 8-bit image, in its order: colour conversion (PIL's
 * {@code convert}), {@code Resize}, {@code CenterCrop}. The results are the bytes PIL and
 * torchvision 0.14 compute, so scaling them afterwards gives the tensor {@code ToTensor} gives.
 */
public final class ImageTransform {
  private ImageTransform() {}

  /** {@code in} converted to {@code color}, resized ({@code resize} may be null) and centre-cropped ({@code crop} may be null). */
  public static Image apply(Image in, ColorMode color, Resize resize, Size crop) {
    Image out = convert(in, color);
    if (resize != null) {
      int[] hw = outputSize(out.height(), out.width(), resize);
      if (hw[0] != out.height() || hw[1] != out.width()) {
        out = Resampler.resize(out, hw[0], hw[1], resize.interpolation());
      }
    }
    return crop == null ? out : centerCrop(out, crop);
  }

  /**
   * The size torchvision's {@code Resize} gives an image of {@code h}×{@code w}: the exact size, or
   * the shorter side to the size and the longer side {@code int(size · long / short)} (truncated,
   * as {@code torchvision.transforms.functional._compute_resized_output_size}).
   */
  public static int[] outputSize(int h, int w, Resize r) {
    if (!r.shorterSide()) {
      return new int[] {r.height(), r.width()};
    }
    int size = r.height();
    if (w <= h) {
      return new int[] {(int) ((long) size * h / w), size};
    }
    return new int[] {size, (int) ((long) size * w / h)};
  }

  /**
   * PIL's colour conversion: gray to RGB repeats the channel; RGB to gray is ITU-R 601-2 luma in
   * PIL's fixed point, {@code L = (19595 R + 38470 G + 7471 B + 2^15) >> 16} (Pillow's
   * {@code Convert.c}, {@code rgb2l}); BGR is RGB reversed.
   */
  public static Image convert(Image in, ColorMode color) {
    int c = in.channels();
    if (color == ColorMode.KEEP || (color == ColorMode.GRAY && c == 1) || (color == ColorMode.RGB && c == 3)) {
      return in;
    }
    if (c != 1 && c != 3) {
      throw new CondenseException("cannot convert a " + c + "-channel image to " + color);
    }
    int plane = in.height() * in.width();
    byte[] p = in.pixels();
    if (color == ColorMode.GRAY) {
      byte[] out = new byte[plane];
      for (int j = 0; j < plane; j++) {
        int r = p[j] & 0xff;
        int g = p[plane + j] & 0xff;
        int b = p[2 * plane + j] & 0xff;
        out[j] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
      }
      return new Image(out, 1, in.height(), in.width());
    }
    byte[] out = new byte[3 * plane];
    for (int ch = 0; ch < 3; ch++) {
      int src = c == 1 ? 0 : (color == ColorMode.BGR ? 2 - ch : ch) * plane;
      System.arraycopy(p, src, out, ch * plane, plane);
    }
    return new Image(out, 3, in.height(), in.width());
  }

  /**
   * torchvision's {@code CenterCrop}: the top-left corner at {@code round((h − ch) / 2)} (Python's
   * round, half to even), padding with zeros first where the crop is larger than the image.
   */
  public static Image centerCrop(Image in, Size crop) {
    int ch = crop.height();
    int cw = crop.width();
    int h = in.height();
    int w = in.width();
    if (ch == h && cw == w) {
      return in;
    }
    if (ch > h || cw > w) {
      // torchvision pads (left, top, right, bottom) = ((cw−w)//2, (ch−h)//2, (cw−w+1)//2, (ch−h+1)//2)
      int padTop = ch > h ? (ch - h) / 2 : 0;
      int padLeft = cw > w ? (cw - w) / 2 : 0;
      int nh = Math.max(h, ch);
      int nw = Math.max(w, cw);
      byte[] out = new byte[in.channels() * nh * nw];
      for (int c = 0; c < in.channels(); c++) {
        for (int y = 0; y < h; y++) {
          System.arraycopy(in.pixels(), (c * h + y) * w, out, (c * nh + y + padTop) * nw + padLeft, w);
        }
      }
      in = new Image(out, in.channels(), nh, nw);
      h = nh;
      w = nw;
    }
    int top = roundHalfEven((h - ch) / 2.0);
    int left = roundHalfEven((w - cw) / 2.0);
    byte[] out = new byte[in.channels() * ch * cw];
    for (int c = 0; c < in.channels(); c++) {
      for (int y = 0; y < ch; y++) {
        System.arraycopy(in.pixels(), (c * h + top + y) * w + left, out, (c * ch + y) * cw, cw);
      }
    }
    return new Image(out, in.channels(), ch, cw);
  }

  private static int roundHalfEven(double v) {
    return (int) Math.rint(v);
  }
}
