package dev.condense.data.image;

import java.nio.charset.StandardCharsets;

/** Names a file's format from its first bytes, for the message that refuses a file that is not PNG or JPEG. */
final class FileKind {
  private FileKind() {}

  /** {@code " (a GIF image)"}, {@code " (text)"}, or {@code ""} when the bytes say nothing known. */
  static String describe(byte[] data) {
    String head = new String(data, 0, Math.min(data.length, 12), StandardCharsets.ISO_8859_1);
    String kind;
    if (head.startsWith("GIF8")) {
      kind = "a GIF image";
    } else if (head.startsWith("BM")) {
      kind = "a BMP image";
    } else if (head.startsWith("RIFF") && head.length() >= 12 && head.startsWith("WEBP", 8)) {
      kind = "a WebP image";
    } else if (head.startsWith("II*\0") || head.startsWith("MM\0*")) {
      kind = "a TIFF image";
    } else if (head.startsWith("\u0089PNG")) {
      kind = "a damaged PNG signature";
    } else if (head.startsWith("\u00ff\u00d8")) {
      kind = "a damaged JPEG start";
    } else if (isText(data)) {
      kind = "text";
    } else {
      return "";
    }
    return " (" + kind + "; PNG and JPEG are read)";
  }

  private static boolean isText(byte[] data) {
    int n = Math.min(data.length, 512);
    for (int i = 0; i < n; i++) {
      int b = data[i] & 0xff;
      if (b < 9 || (b > 13 && b < 32) || b == 127) {
        return false;
      }
    }
    return true;
  }
}
