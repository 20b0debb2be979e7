package dev.condense.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds folder trees from the line format of {@code folder-tree/tree.txt} ("file PATH", "dir
 * PATH", "link PATH TARGET"), as {@code tools/torchvision-folder-listing.py} builds them.
 */
final class FolderTrees {
  private FolderTrees() {}

  static void build(Path root, List<String> spec) throws IOException {
    Files.createDirectories(root);
    for (String line : spec) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] p = line.split(" ");
      Path path = root.resolve(p[1]);
      Files.createDirectories(path.getParent());
      switch (p[0]) {
        case "file" -> Files.write(path, new byte[0]);
        case "dir" -> Files.createDirectories(path);
        case "link" -> Files.createSymbolicLink(path, Path.of(p[2]));
        default -> throw new IllegalArgumentException(line);
      }
    }
  }
}
