package dev.condense.data;

import dev.condense.CondenseException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training-time transform: random changes to each training image, drawn from a seed, applied
 * to a batch after it was read with the evaluation preprocessing — torchvision's
 * {@code RandomHorizontalFlip()}, {@code RandomCrop(size, padding=P)} (padding with the value a
 * black pixel normalises to, as torchvision pads the image before {@code ToTensor}) and
 * {@code RandomResizedCrop(size, scale=(S, 1))} (bilinear, as {@code F.interpolate} with
 * {@code align_corners=False}). Evaluation never uses it.
 *
 * <p>Text form ({@code --augment}, recipes): comma-separated {@code flip}, {@code crop=P},
 * {@code rrc=S}; e.g. {@code flip,crop=4}, the CIFAR recipes' transform.
 *
 * @param flip mirror each image left-right with probability 1/2
 * @param pad pad by this many pixels on each side, then crop back at a random place (0: no)
 * @param minScale crop a random area of at least this fraction of the image (aspect 3/4..4/3)
 *     and resize it back (1: no)
 */
public record Augmentation(boolean flip, int pad, double minScale) {
  private static final String SYNTAX = "flip, crop=P (pad P pixels, random crop) and rrc=S (random resized crop, area ≥ S)";

  public Augmentation {
    if (pad < 0 || pad > 1024) {
      throw new CondenseException("augmentation crop padding must be in 0..1024, got " + pad);
    }
    if (!(minScale > 0 && minScale <= 1)) {
      throw new CondenseException("augmentation rrc scale must be in (0, 1], got " + minScale);
    }
  }

  /** The augmentation written as {@code text}; errors name {@code where}. */
  public static Augmentation parse(String text, String where) {
    boolean flip = false;
    int pad = 0;
    double scale = 1;
    for (String raw : text.split(",", -1)) {
      String item = raw.strip();
      try {
        if (item.equals("flip")) {
          flip = true;
        } else if (item.startsWith("crop=")) {
          pad = Integer.parseInt(item.substring(5).strip());
        } else if (item.startsWith("rrc=")) {
          scale = Double.parseDouble(item.substring(4).strip());
        } else {
          throw new CondenseException("unknown item");
        }
        new Augmentation(flip, pad, scale);
      } catch (NumberFormatException e) {
        throw new CondenseException(where + ": '" + item + "': not a number; use " + SYNTAX);
      } catch (CondenseException e) {
        throw new CondenseException(where + ": '" + item + "': " + e.getMessage() + "; use " + SYNTAX);
      }
    }
    return new Augmentation(flip, pad, scale);
  }

  /** The canonical text form. */
  public String text() {
    List<String> items = new ArrayList<>();
    if (flip) {
      items.add("flip");
    }
    if (pad > 0) {
      items.add("crop=" + pad);
    }
    if (minScale < 1) {
      items.add("rrc=" + minScale);
    }
    return String.join(",", items);
  }

  /**
   * Applies the random changes to the {@code n} images of {@code x}, each {@code c}×{@code h}×{@code w}
   * (NCHW), in place; {@code fill[c]} is the normalised value of a black pixel of channel c.
   * Each image draws from {@code random} in order, so the same seed gives the same batch.
   */
  public void apply(float[] x, int n, int c, int h, int w, float[] fill, SplittableRandom random) {
    int plane = h * w;
    float[] tmp = new float[c * plane];
    for (int i = 0; i < n; i++) {
      int at = i * c * plane;
      if (minScale < 1) {
        resizedCrop(x, at, c, h, w, random, tmp);
      }
      if (pad > 0) {
        int dy = random.nextInt(2 * pad + 1) - pad;
        int dx = random.nextInt(2 * pad + 1) - pad;
        shift(x, at, c, h, w, dy, dx, fill, tmp);
      }
      if (flip && random.nextBoolean()) {
        for (int ch = 0; ch < c; ch++) {
          for (int y = 0; y < h; y++) {
            int row = at + ch * plane + y * w;
            for (int l = 0, r = w - 1; l < r; l++, r--) {
              float t = x[row + l];
              x[row + l] = x[row + r];
              x[row + r] = t;
            }
          }
        }
      }
    }
  }

  /** The image moved by (dy, dx): pixel (y, x) takes (y + dy, x + dx), outside the image the fill. */
  private static void shift(float[] x, int at, int c, int h, int w, int dy, int dx, float[] fill, float[] tmp) {
    int plane = h * w;
    System.arraycopy(x, at, tmp, 0, c * plane);
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        int sy = y + dy;
        for (int xx = 0; xx < w; xx++) {
          int sx = xx + dx;
          x[at + ch * plane + y * w + xx] = sy < 0 || sy >= h || sx < 0 || sx >= w ? fill[ch] : tmp[ch * plane + sy * w + sx];
        }
      }
    }
  }

  /**
   * torchvision's {@code RandomResizedCrop.get_params}: up to 10 tries of an area in
   * [minScale, 1] of the image and a log-uniform aspect ratio in [3/4, 4/3] that fits, else the
   * whole image; the crop is resized back to h×w bilinearly (pixel centres, align_corners=False).
   */
  private void resizedCrop(float[] x, int at, int c, int h, int w, SplittableRandom random, float[] tmp) {
    int ch = h;
    int cw = w;
    int top = 0;
    int left = 0;
    double area = (double) h * w;
    for (int attempt = 0; attempt < 10; attempt++) {
      double target = area * (minScale + (1 - minScale) * random.nextDouble());
      double ratio = Math.exp(Math.log(3.0 / 4) + (Math.log(4.0 / 3) - Math.log(3.0 / 4)) * random.nextDouble());
      int tw = (int) Math.round(Math.sqrt(target * ratio));
      int th = (int) Math.round(Math.sqrt(target / ratio));
      if (tw > 0 && th > 0 && tw <= w && th <= h) {
        ch = th;
        cw = tw;
        top = random.nextInt(h - th + 1);
        left = random.nextInt(w - tw + 1);
        break;
      }
    }
    int plane = h * w;
    System.arraycopy(x, at, tmp, 0, c * plane);
    for (int y = 0; y < h; y++) {
      double sy = Math.max(0, (y + 0.5) * ch / h - 0.5);
      int y0 = Math.min((int) sy, ch - 1);
      int y1 = Math.min(y0 + 1, ch - 1);
      double fy = sy - y0;
      for (int xx = 0; xx < w; xx++) {
        double sx = Math.max(0, (xx + 0.5) * cw / w - 0.5);
        int x0 = Math.min((int) sx, cw - 1);
        int x1 = Math.min(x0 + 1, cw - 1);
        double fx = sx - x0;
        for (int k = 0; k < c; k++) {
          int b = k * plane + top * w + left;
          double v = (1 - fy) * ((1 - fx) * tmp[b + y0 * w + x0] + fx * tmp[b + y0 * w + x1])
              + fy * ((1 - fx) * tmp[b + y1 * w + x0] + fx * tmp[b + y1 * w + x1]);
          x[at + k * plane + y * w + xx] = (float) v;
        }
      }
    }
  }
}
