package dev.condense.data.image;

import dev.condense.CondenseException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes a PNG or JPEG file's bytes with the JDK's ImageIO readers (chosen over Apache Commons
 * Imaging by measured speed: {@code bench/results/image-decode.md}). Reads from memory, so no
 * cache file and no global ImageIO setting is involved; a warning that the data end early is an
 * error, as it is in PIL (libjpeg otherwise fills the rest of a truncated JPEG with gray).
 */
final class ImageIoDecode {
  private ImageIoDecode() {}

  /** The image in {@code data}, a file of format {@code format} ({@code png} or {@code jpeg}). */
  static BufferedImage read(byte[] data, String format, Path file) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new IllegalStateException("this Java runtime has no ImageIO " + format + " reader");
    }
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      BufferedImage image = reader.read(0);
      for (String w : warnings) {
        String lower = w.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("premature end") || lower.contains("missing eoi") || lower.contains("truncated")) {
          throw new CondenseException(file + ": truncated " + name(format) + " file (" + w.trim() + ")");
        }
      }
      return image;
    } catch (IOException | RuntimeException e) {
      if (e instanceof CondenseException c) {
        throw c;
      }
      throw new CondenseException(file + ": corrupt or truncated " + name(format) + " file (" + reason(e) + ")", e);
    } finally {
      reader.dispose();
    }
  }

  private static String name(String format) {
    return format.equals("png") ? "PNG" : "JPEG";
  }

  /** The innermost message of {@code e}'s causes, on one line. */
  private static String reason(Throwable e) {
    String message = e.getClass().getSimpleName();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message.replaceAll("\\s+", " ").trim();
  }
}
