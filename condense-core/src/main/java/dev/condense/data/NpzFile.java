package dev.condense.data;

import dev.condense.CondenseException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A NumPy {@code .npz} archive: a zip file with one {@code .npy} file per array, named after the
 * array ({@code numpy.savez} stores them, {@code numpy.savez_compressed} deflates them; see
 * numpy/lib/npyio.py). Arrays are read one at a time with {@link NpyReader}'s rules; messages name
 * the archive and the array ({@code data.npz (array x_train): ...}). An entry's sizes in the zip
 * directory are not trusted: its bytes are read as they come, checked against what the array's own
 * header announces.
 */
public final class NpzFile implements Closeable {
  private static final String SUFFIX = ".npy";

  private final String name;
  private final ZipFile zip;

  private NpzFile(String name, ZipFile zip) {
    this.name = name;
    this.zip = zip;
  }

  /** Opens {@code file}; a missing file or one that is not a zip archive is a one-line error. */
  public static NpzFile open(Path file) {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new CondenseException(name + ": is a directory, expected an .npz file");
    }
    try {
      return new NpzFile(name, new ZipFile(file.toFile()));
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new CondenseException(name + (Files.exists(file) ? ": permission denied" : ": no such file"));
    } catch (AccessDeniedException e) {
      throw new CondenseException(name + ": permission denied");
    } catch (ZipException e) {
      throw new CondenseException(name + ": not an .npz archive (not a readable zip file: " + e.getMessage() + ")");
    } catch (IOException e) {
      throw new CondenseException(name + ": cannot read (" + dev.condense.IoErrors.reason(e) + ")", e);
    }
  }

  /** The archive's file name, for messages. */
  public String name() {
    return name;
  }

  /** The arrays in the archive, by name (the entry name without {@code .npy}), in archive order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (ZipEntry e : Collections.list(zip.entries())) {
      if (!e.isDirectory() && e.getName().endsWith(SUFFIX)) {
        names.add(e.getName().substring(0, e.getName().length() - SUFFIX.length()));
      }
    }
    return names;
  }

  /** Whether the archive holds array {@code array}. */
  public boolean has(String array) {
    return zip.getEntry(array + SUFFIX) != null;
  }

  /** Array {@code array}; a missing one is an error listing those the archive holds. */
  public NpyArray read(String array) {
    ZipEntry entry = zip.getEntry(array + SUFFIX);
    if (entry == null) {
      throw new CondenseException(name + ": no array '" + array + "' (it holds " + listed() + ")");
    }
    String where = name + " (array " + array + ")";
    try (InputStream in = zip.getInputStream(entry); DataFile f = DataFile.of(in, where,
        entry.getMethod() == ZipEntry.STORED ? -1 : entry.getCompressedSize())) {
      return NpyReader.read(f);
    } catch (ZipException e) {
      throw new CondenseException(where + ": cannot unpack the entry (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new CondenseException(where + ": cannot read (" + dev.condense.IoErrors.reason(e) + ")", e);
    }
  }

  private String listed() {
    List<String> names = names();
    return names.isEmpty() ? "no .npy entries" : String.join(", ", names);
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException e) {
      throw new CondenseException(name + ": cannot close (" + dev.condense.IoErrors.reason(e) + ")", e);
    }
  }
}
