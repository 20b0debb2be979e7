package dev.condense.data;

import dev.condense.CondenseException;
import dev.condense.data.image.Decoder;
import dev.condense.data.image.Image;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A minimal decoder for the folder tests: ImageIO's PNG reader, gray images as one channel,
 * colour as three (RGB), errors naming the file. The product decoder is another class; the tests
 * only need files whose pixels they wrote.
 */
final class ImageIoTestDecoder implements Decoder {
  @Override
  public Image decode(Path file) {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new CondenseException(file + ": cannot be decoded (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new CondenseException(file + ": not an image ImageIO reads");
    }
    Raster r = img.getRaster();
    int c = r.getNumBands() >= 3 ? 3 : 1;
    int h = img.getHeight();
    int w = img.getWidth();
    byte[] px = new byte[c * h * w];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          px[(ch * h + y) * w + x] = (byte) r.getSample(x, y, ch);
        }
      }
    }
    return new Image(px, c, h, w);
  }

  /** Writes {@code img} (1 or 3 channels) as a PNG. */
  static void writePng(Image img, Path file) throws IOException {
    int h = img.height();
    int w = img.width();
    BufferedImage b = new BufferedImage(w, h, img.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    for (int ch = 0; ch < img.channels(); ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          b.getRaster().setSample(x, y, ch, img.pixels()[(ch * h + y) * w + x] & 0xff);
        }
      }
    }
    java.nio.file.Files.createDirectories(file.getParent());
    if (!ImageIO.write(b, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }

  /** A deterministic image: pixel (ch, y, x) of image {@code seed} is (seed·37 + ch·101 + y·13 + x·7) mod 256. */
  static Image pattern(int seed, int channels, int h, int w) {
    byte[] px = new byte[channels * h * w];
    for (int ch = 0; ch < channels; ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          px[(ch * h + y) * w + x] = (byte) (seed * 37 + ch * 101 + y * 13 + x * 7);
        }
      }
    }
    return new Image(px, channels, h, w);
  }
}
