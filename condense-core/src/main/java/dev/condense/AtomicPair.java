package dev.condense;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Writes a file together with the side file it refers to (an ONNX model and its external data)
 * so that readers see either the old pair or the new one, never a mix. Both go through a
 * temporary file ({@link AtomicFile}'s naming, removed on SIGTERM by {@link PendingFiles}); the
 * side file is named after the main file and a CRC-32 of its content
 * ({@code model.onnx.1a2b3c4d.data}), so the old main file keeps its own side file until the new
 * main file has replaced it in one rename. Then the side files of earlier writes of the same main
 * file are removed; a run killed harder (SIGKILL) leaves at most a side file that no model names,
 * which the next write of that file removes. Writing the same content twice gives the same names.
 */
public final class AtomicPair {

  /** Streams the side file's content. */
  @FunctionalInterface
  public interface Side {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicPair() {}

  /**
   * Writes the side content, then the main file {@code file} whose bytes {@code main} makes from
   * the side file's name (relative to {@code file}'s directory). Returns that name.
   */
  public static String write(Path file, String sideSuffix, Side side, Function<String, byte[]> main) {
    String why = AtomicFile.unwritableReason(file);
    if (why != null) {
      throw new CondenseException(file + ": cannot write, " + why);
    }
    Path dir = file.toAbsolutePath().getParent();
    String base = file.getFileName().toString();
    Path sideTmp = dir.resolve("." + base + AtomicFile.TEMP_MARK + UUID.randomUUID() + ".tmp");
    Path sideFile = null;
    boolean sideIsNew = false;
    PendingFiles.add(sideTmp);
    try {
      CRC32 crc = new CRC32();
      try (FileChannel ch = FileChannel.open(sideTmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = new CheckedOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16), crc)) {
        side.writeTo(out);
        out.flush();
        ch.force(true);
      }
      String sideName = base + "." + String.format(Locale.ROOT, "%08x", crc.getValue()) + sideSuffix;
      byte[] bytes = main.apply(sideName);
      sideFile = dir.resolve(sideName);
      sideIsNew = !Files.exists(sideFile);
      if (sideIsNew) {
        PendingFiles.add(sideFile); // until the main file names it, a stopped run removes it
      }
      move(sideTmp, sideFile);
      AtomicFile.write(file, bytes);
      PendingFiles.remove(sideFile);
      sideIsNew = false;
      removeSideFiles(file, sideSuffix, sideName);
      return sideName;
    } catch (IOException e) {
      throw new CondenseException(file + ": cannot write (" + IoErrors.reason(e) + ")", e);
    } finally {
      deleteQuietly(sideTmp);
      PendingFiles.remove(sideTmp);
      if (sideIsNew) { // the main file was not replaced: the new side file belongs to nothing
        deleteQuietly(sideFile);
        PendingFiles.remove(sideFile);
      }
    }
  }

  /**
   * Removes the side files earlier writes of {@code file} left (named as {@link #write} names
   * them), except {@code keep} (null: all of them), e.g. after the file was rewritten without one.
   */
  public static void removeSideFiles(Path file, String sideSuffix, String keep) {
    Path dir = file.toAbsolutePath().getParent();
    Pattern ours = Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.[0-9a-f]{8}"
        + Pattern.quote(sideSuffix));
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, p -> {
      String n = p.getFileName().toString();
      return ours.matcher(n).matches() && !n.equals(keep) && !PendingFiles.contains(p);
    })) {
      for (Path p : old) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // Best effort: the pair just written is complete and in place.
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A stray hidden file must not mask the write's own outcome.
    }
  }
}
