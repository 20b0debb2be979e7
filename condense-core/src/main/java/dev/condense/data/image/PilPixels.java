package dev.condense.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * A decoded raster's samples as the 8-bit channels PIL gives the file: PIL's mode for the file
 * ({@code PngImagePlugin._MODES}, Pillow 9.4), then {@code convert("L")} for the gray modes and
 * {@code convert("RGB")} for the others, as torchvision's {@code ImageFolder} loader would. So:
 * 1-, 2- and 4-bit gray are scaled to 0..255 (unpackers {@code 1}, {@code L;2}, {@code L;4});
 * 16-bit gray is PIL mode {@code I} and is clipped at 255 ({@code i2l}), not shifted; 16-bit
 * RGB, RGBA and gray+alpha keep the high byte (PIL opens 16-bit gray+alpha as RGBA, so it gives 3
 * channels); alpha is dropped without compositing ({@code rgba2rgb}); a palette index past the
 * PLTE entries is the gray (i, i, i) PIL's palette starts with. Rasters are read as samples —
 * never through {@code getRGB}, which colour-converts.
 */
final class PilPixels {
  private PilPixels() {}

  /** The pixels of a decoded PNG with header {@code h}. */
  static Image png(BufferedImage image, PngHeader h) {
    Raster r = image.getRaster();
    int bits = h.bitDepth();
    return switch (h.colorType()) {
      case PngHeader.GRAY -> planes(r, 1, new int[] {0}, grayTable(bits));
      case PngHeader.GRAY_ALPHA -> bits == 16
          ? planes(r, 3, new int[] {0, 0, 0}, highByte()) : planes(r, 1, new int[] {0}, identity(256));
      case PngHeader.PALETTE -> palette(r, h.palette(), bits);
      default -> planes(r, 3, new int[] {0, 1, 2}, bits == 16 ? highByte() : identity(256));
    };
  }

  /** The pixels of a decoded JPEG of {@code components} components (ImageIO has made YCbCr RGB). */
  static Image jpeg(BufferedImage image, int components) {
    return components == 1 ? planes(image.getRaster(), 1, new int[] {0}, identity(256))
        : planes(image.getRaster(), 3, new int[] {0, 1, 2}, identity(256));
  }

  /** PIL's gray for a {@code bits}-bit sample: scaled for 1, 2, 4 bits, clipped at 255 for 16. */
  private static int[] grayTable(int bits) {
    if (bits == 16) {
      int[] t = new int[65536];
      for (int v = 0; v < t.length; v++) {
        t[v] = Math.min(v, 255);
      }
      return t;
    }
    int max = (1 << bits) - 1;
    int[] t = new int[max + 1];
    for (int v = 0; v <= max; v++) {
      t[v] = v * 255 / max;
    }
    return t;
  }

  private static int[] highByte() {
    int[] t = new int[65536];
    for (int v = 0; v < t.length; v++) {
      t[v] = v >> 8;
    }
    return t;
  }

  private static int[] identity(int n) {
    int[] t = new int[n];
    for (int v = 0; v < n; v++) {
      t[v] = v;
    }
    return t;
  }

  /** Palette indices through PLTE; entries PLTE lacks are (i, i, i), as Pillow's new palettes. */
  private static Image palette(Raster r, byte[] plte, int bits) {
    int[][] tables = new int[3][1 << bits];
    for (int i = 0; i < 1 << bits; i++) {
      for (int c = 0; c < 3; c++) {
        tables[c][i] = 3 * i + c < plte.length ? plte[3 * i + c] & 0xff : i;
      }
    }
    int w = r.getWidth();
    int h = r.getHeight();
    byte[] out = new byte[3 * w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      r.getSamples(0, y, w, 1, 0, row);
      for (int c = 0; c < 3; c++) {
        int[] t = tables[c];
        int o = (c * h + y) * w;
        for (int x = 0; x < w; x++) {
          out[o + x] = (byte) t[row[x]];
        }
      }
    }
    return new Image(out, 3, h, w);
  }

  /** Output channel {@code c} is source band {@code bands[c]} through {@code table}. */
  private static Image planes(Raster r, int channels, int[] bands, int[] table) {
    int w = r.getWidth();
    int h = r.getHeight();
    byte[] out = new byte[channels * w * h];
    if (r.getSampleModel() instanceof ComponentSampleModel sm && r.getDataBuffer() instanceof DataBufferByte db
        && db.getNumBanks() == 1 && table.length == 256 && r.getParent() == null) {
      // 8-bit interleaved (PNG 8-bit, every JPEG): read the bytes directly
      byte[] data = db.getData();
      int stride = sm.getScanlineStride();
      int step = sm.getPixelStride();
      for (int c = 0; c < channels; c++) {
        int offset = db.getOffset() + sm.getBandOffsets()[bands[c]];
        for (int y = 0; y < h; y++) {
          int in = offset + y * stride;
          int o = (c * h + y) * w;
          for (int x = 0; x < w; x++, in += step) {
            out[o + x] = (byte) table[data[in] & 0xff];
          }
        }
      }
      return new Image(out, channels, h, w);
    }
    int[] row = new int[w];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, bands[c], row);
        int o = (c * h + y) * w;
        for (int x = 0; x < w; x++) {
          out[o + x] = (byte) table[row[x] & (table.length - 1)];
        }
      }
    }
    return new Image(out, channels, h, w);
  }
}
