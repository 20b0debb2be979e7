package dev.condense.data;

import java.nio.file.Path;

/**
 * A file an image folder read with {@code skipBad} leaves out, and why (unreadable type, corrupt,
 * or the wrong size after preprocessing), for the run to report.
 */
public record SkippedFile(Path file, String reason) {
  @Override
  public String toString() {
    return file + ": " + reason;
  }
}
