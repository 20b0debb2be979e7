package dev.condense;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a part:
 * the content goes to a hidden temporary file beside the target, which then replaces the target
 * in one rename. A failure (full disk, an exception while rendering) leaves the previous file
 * untouched and removes the temporary one; so does a run stopped by SIGTERM or SIGINT while it
 * writes ({@link PendingFiles}), and the next successful write of the same target removes
 * temporary files that a harder kill (SIGKILL, power loss) left behind. Temporary files are named
 * {@code .TARGET.condense-UUID.tmp}, so they are recognisable. Only regular files are replaced: a
 * target that is a directory, a device node, a FIFO or a socket is refused. The new file gets the
 * usual permissions (the process umask), as if it had been written directly.
 */
public final class AtomicFile {

  /** Marks Condense's temporary files: {@code .TARGET} + this + a UUID + {@code .tmp}. */
  static final String TEMP_MARK = ".condense-";

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

  /**
   * Why {@code file} cannot be (re)placed by a regular file, or null if it can: its directory is
   * missing, or it exists and is not a regular file. Lets callers refuse an output before any work.
   */
  public static String unwritableReason(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || file.getFileName() == null) {
      return "not a file name";
    }
    if (!Files.isDirectory(dir)) {
      return "directory " + dir + " does not exist";
    }
    if (Files.isDirectory(file)) {
      return "it is a directory";
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
      return "it exists and is not a regular file (a device, FIFO or socket)";
    }
    if (!Files.isWritable(dir)) {
      return "directory " + dir + " is not writable";
    }
    return null;
  }

  /** Lets {@code content} fill a temporary file, then moves it to {@code file}. */
  public static void write(Path file, Content content) {
    String why = unwritableReason(file);
    if (why != null) {
      throw new CondenseException(file + ": cannot write, " + why);
    }
    Path dir = file.toAbsolutePath().getParent();
    String prefix = "." + file.getFileName() + TEMP_MARK;
    Path tmp = dir.resolve(prefix + UUID.randomUUID() + ".tmp");
    PendingFiles.add(tmp);
    try {
      content.writeTo(tmp);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      removeStale(dir, prefix);
    } catch (IOException e) {
      throw new CondenseException(file + ": cannot write (" + IoErrors.reason(e) + ")", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The write already failed or succeeded; a stray hidden file must not mask that.
      }
      PendingFiles.remove(tmp);
    }
  }

  /** Removes temporary files of the same target that an earlier, killed run left behind. */
  private static void removeStale(Path dir, String prefix) {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, p -> {
      String n = p.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(".tmp") && !PendingFiles.contains(p);
    })) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // Cleaning up after another run is best effort; the file just written is in place.
    }
  }
}
