package dev.condense.format;

import dev.condense.CondenseException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every byte of a {@code .cdz} image goes (docs/cdz-format.md): the file header, and per
 * section its framing (kind, name, length, CRC32C) and its payload. Read from the bytes as they
 * are, without decoding a payload, so that a report can account for a written file exactly: the
 * header and the sections add up to the file's size.
 */
public record CdzLayout(int headerBytes, List<Section> sections) {
  /** Magic (4), version (2), section count (4). */
  static final int HEADER_BYTES = 10;

  /** One section: whether it is the graph, its name, its framing and payload bytes. */
  public record Section(boolean graph, String name, int framingBytes, long payloadBytes) {}

  public CdzLayout {
    sections = List.copyOf(sections);
  }

  /** The layout of a .cdz image; a truncated one is a {@link CondenseException} naming {@code source}. */
  public static CdzLayout of(byte[] file, String source) {
    if (file.length < HEADER_BYTES) {
      throw new CondenseException(source + ": not a .cdz file (shorter than its header)");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    b.position(HEADER_BYTES);
    List<Section> sections = new ArrayList<>();
    while (b.hasRemaining()) {
      String where = source + ": section " + (sections.size() + 1);
      if (b.remaining() < 7) {
        throw new CondenseException(where + ": truncated (header)");
      }
      int kind = b.get() & 0xff;
      int nameLen = b.getShort() & 0xffff;
      if (b.remaining() < nameLen + 8L) {
        throw new CondenseException(where + ": truncated (name)");
      }
      byte[] name = new byte[nameLen];
      b.get(name);
      long len = b.getInt() & 0xffffffffL;
      if (len > b.remaining() - 4L) {
        throw new CondenseException(where + ": truncated (" + len + " bytes announced)");
      }
      b.position(b.position() + (int) len + 4);
      sections.add(new Section(kind == CdzFile.GRAPH, new String(name, StandardCharsets.UTF_8), 1 + 2 + nameLen + 4 + 4, len));
    }
    return new CdzLayout(HEADER_BYTES, sections);
  }

  /** Header, framing and payloads: the size of the file. */
  public long totalBytes() {
    long n = headerBytes;
    for (Section s : sections) {
      n += s.framingBytes() + s.payloadBytes();
    }
    return n;
  }
}
