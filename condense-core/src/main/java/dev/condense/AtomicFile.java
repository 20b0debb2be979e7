package dev.condense;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a part:
 * the content goes to a hidden temporary file beside the target, which then replaces the target
 * in one rename. A failure (full disk, a killed process, an exception while rendering) leaves the
 * previous file untouched and removes the temporary one. The new file gets the usual permissions
 * (the process umask), as if it had been written directly.
 */
public final class AtomicFile {

  /** Fills the temporary file; may throw, in which case nothing is moved into place. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path tmp) throws IOException;
  }

  private AtomicFile() {}

  /** Writes {@code bytes} to {@code file}; I/O failures become a one-line error naming the file. */
  public static void write(Path file, byte[] bytes) {
    write(file, tmp -> {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true); // a model file must survive a crash right after the rename
      }
    });
  }

  /** Writes {@code text} (UTF-8) to {@code file}. */
  public static void write(Path file, String text) {
    write(file, tmp -> Files.writeString(tmp, text));
  }

  /** Lets {@code content} fill a temporary file, then moves it to {@code file}. */
  public static void write(Path file, Content content) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || file.getFileName() == null) {
      throw new CondenseException(file + ": cannot write, not a file name");
    }
    if (!Files.isDirectory(dir)) {
      throw new CondenseException(file + ": cannot write, directory " + dir + " does not exist");
    }
    Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      content.writeTo(tmp);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CondenseException(file + ": cannot write (" + IoErrors.reason(e) + ")", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The write already failed or succeeded; a stray hidden file must not mask that.
      }
    }
  }
}
