package dev.condense.data;

import dev.condense.data.image.Decoder;
import java.util.List;

/**
 * How an image folder is read: the decoder of its files, the number of threads decoding them, and
 * whether bad files stop the run (the default, one line naming the file) or are skipped and counted
 * ({@code skipBad}, the CLI's {@code --skip-bad}).
 *
 * @param decoder reads one file; only files ending in one of {@link #READABLE} are given to it
 * @param threads decoding threads (results do not depend on it)
 * @param skipBad skip unreadable, corrupt and wrongly sized images instead of failing
 */
public record FolderOptions(Decoder decoder, int threads, boolean skipBad) {

  /** The extensions the decoder reads (of torchvision's {@link FolderListing#EXTENSIONS}): JPEG and PNG. */
  public static final List<String> READABLE = List.of(".jpg", ".jpeg", ".png");

  public FolderOptions {
    if (decoder == null) {
      throw new IllegalArgumentException("a folder needs a decoder");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("decode threads must be at least 1, got " + threads);
    }
  }

  /** The same options with {@code skipBad} set as given. */
  public FolderOptions withSkipBad(boolean skip) {
    return new FolderOptions(decoder, threads, skip);
  }

  /** Whether the decoder reads a file of this name. */
  static boolean readable(String fileName) {
    return FolderListing.endsInOneOf(fileName, READABLE);
  }
}
