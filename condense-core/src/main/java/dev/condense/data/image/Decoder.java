package dev.condense.data.image;

import java.nio.file.Path;

/**
 * Reads one image file into an 8-bit {@link Image}. Data sets that read files as they are asked
 * for ({@code data.FolderSet}) take a decoder rather than naming one, so the file formats and the
 * library that decodes them are chosen in one place and tests can count or fail decodes.
 *
 * <p>Contract: an unreadable or corrupt file is a {@code CondenseException} whose one-line message
 * names the file; a decoder is safe to call from several threads at once.
 */
@FunctionalInterface
public interface Decoder {
  Image decode(Path file);
}
