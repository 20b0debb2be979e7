package dev.condense.onnx;

import dev.condense.CondenseException;
import dev.condense.IoErrors;
import dev.condense.SizeBudget;
import dev.condense.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.condense.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the bytes of tensors stored as ONNX external data (a side file beside the model,
 * {@code data_location = EXTERNAL}; ONNX IR "External Tensor Data": keys {@code location},
 * {@code offset}, {@code length}, {@code checksum}, the last ignored). The location is resolved
 * against the model's directory and must stay inside it: an absolute path, a {@code ..}
 * component or a symbolic link leading out is refused, as are a missing file and one shorter than
 * declared. Declared lengths are checked against the {@link SizeBudget} before anything is
 * allocated. One instance serves one model read; it counts the bytes read so far.
 */
final class ExternalData {
  private final Path dir;
  private long declared;

  private ExternalData(Path dir) {
    this.dir = dir;
  }

  /** External data of a model in {@code modelFile}'s directory. */
  static ExternalData beside(Path modelFile) {
    Path parent = modelFile.toAbsolutePath().getParent();
    return new ExternalData(parent);
  }

  /** For a model given as bytes: it has no directory, so external tensors are refused. */
  static ExternalData none() {
    return new ExternalData(null);
  }

  /** Where a proto's external bytes live: its {@code location}, or an error naming {@code where}. */
  static String location(TensorProto p, String where) {
    for (StringStringEntryProto e : p.getExternalDataList()) {
      if (e.getKey().equals("location")) {
        if (e.getValue().isEmpty()) {
          break;
        }
        return e.getValue();
      }
    }
    throw new CondenseException(where + ": external data without a location");
  }

  /** The {@code need} bytes of {@code p}'s external data, as a little-endian-ready buffer. */
  ByteBuffer read(TensorProto p, long need, String where) {
    String location = dev.condense.OneLine.of(location(p, where));
    long offset = number(p, "offset", 0, where);
    long length = number(p, "length", -1, where);
    if (length >= 0 && length != need) {
      throw new CondenseException(where + ": external data '" + location + "' declares " + length
          + " bytes, but the tensor needs " + need);
    }
    if (dir == null) {
      throw new CondenseException(where + ": external data '" + location + "' needs the model's"
          + " directory; read the model from its file");
    }
    Path file = resolve(location, where);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      declared += need;
      SizeBudget.check(declared, size, where + ": external data '" + location + "'");
      if (offset > size || size - offset < need) {
        throw new CondenseException(where + ": external data '" + location + "' has " + size
            + " bytes, shorter than the " + need + " declared at offset " + offset);
      }
      ByteBuffer b = ByteBuffer.allocate((int) need);
      while (b.hasRemaining()) {
        if (ch.read(b, offset + b.position()) < 0) {
          throw new CondenseException(where + ": external data '" + location + "' ended early");
        }
      }
      return b.flip();
    } catch (IOException e) {
      throw new CondenseException(where + ": cannot read external data '" + location + "' ("
          + IoErrors.reason(e) + ")", e);
    }
  }

  /** The file {@code location} names, checked to lie inside the model's directory. */
  private Path resolve(String location, String where) {
    String outside = where + ": external data '" + location + "' is outside the model's directory "
        + dir;
    Path rel;
    try {
      rel = Path.of(location);
    } catch (java.nio.file.InvalidPathException e) {
      throw new CondenseException(where + ": external data location '" + location + "' is not a path");
    }
    if (rel.isAbsolute() || rel.getRoot() != null) {
      throw new CondenseException(outside + " (an absolute path)");
    }
    for (Path part : rel) {
      if (part.toString().equals("..")) {
        throw new CondenseException(outside + " ('..')");
      }
    }
    Path file = dir.resolve(rel);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new CondenseException(where + ": external data file " + file + " does not exist");
    }
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(dir.toRealPath())) {
        throw new CondenseException(outside + " (a symbolic link to " + real + ")");
      }
      if (!Files.isRegularFile(real)) {
        throw new CondenseException(where + ": external data " + file + " is not a regular file");
      }
      return real;
    } catch (NoSuchFileException e) {
      throw new CondenseException(where + ": external data file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new CondenseException(where + ": cannot read external data " + file + " ("
          + IoErrors.reason(e) + ")", e);
    }
  }

  private static long number(TensorProto p, String key, long absent, String where) {
    for (StringStringEntryProto e : p.getExternalDataList()) {
      if (e.getKey().equals(key)) {
        try {
          long v = Long.parseLong(e.getValue().trim());
          if (v < 0) {
            throw new NumberFormatException();
          }
          return v;
        } catch (NumberFormatException x) {
          throw new CondenseException(where + ": external data " + key + " '" + e.getValue()
              + "' is not a byte count");
        }
      }
    }
    return absent;
  }
}
