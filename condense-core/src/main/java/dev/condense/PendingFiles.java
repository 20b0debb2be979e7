package dev.condense;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporary files {@link AtomicFile} is filling right now, so that a run stopped by SIGTERM
 * or SIGINT (the JVM runs its shutdown hooks then) leaves none behind: a killed write of a large
 * model used to leave a hidden file of hundreds of megabytes. This is process-wide by nature —
 * there is one set of shutdown hooks per JVM — so it is the one static registry in the library,
 * holding nothing but paths being written.
 */
final class PendingFiles {
  private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(PendingFiles::removeAll, "condense-temp-cleanup"));
  }

  private PendingFiles() {}

  static void add(Path tmp) {
    PENDING.add(tmp);
  }

  static void remove(Path tmp) {
    PENDING.remove(tmp);
  }

  static boolean contains(Path tmp) {
    return PENDING.contains(tmp);
  }

  private static void removeAll() {
    for (Path p : PENDING) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Shutting down: nothing left to report to.
      }
    }
  }
}
