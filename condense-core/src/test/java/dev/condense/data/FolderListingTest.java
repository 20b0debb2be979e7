package dev.condense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.condense.CondenseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FolderListing finds torchvision's ImageFolder samples: the expected listing was written by
 * torchvision 0.14 over the same tree ({@code tools/torchvision-folder-listing.py}), with nested
 * folders, names sorting differently as strings and as paths, mixed-case extensions, hidden files
 * and folders, and links to files, folders and nowhere.
 */
class FolderListingTest {
  private static final String FIXTURE = "folder-tree/";

  @TempDir Path tmp;

  @Test
  void listsTorchvisionsSamplesInTorchvisionsOrder() throws IOException {
    Path root = tmp.resolve("tree");
    FolderTrees.build(root, lines(FIXTURE + "tree.txt"));
    List<String> expected = new ArrayList<>();
    List<String> expectedClasses = null;
    for (String line : lines(FIXTURE + "expected.txt")) {
      if (line.startsWith("classes\t")) {
        expectedClasses = List.of(line.substring("classes\t".length()).split("\t"));
      } else if (!line.startsWith("#")) {
        expected.add(line);
      }
    }

    FolderListing l = FolderListing.of(root);

    List<String> actual = new ArrayList<>();
    for (int i = 0; i < l.files().size(); i++) {
      actual.add(i + "\t" + l.labels()[i] + "\t" + root.relativize(l.files().get(i)));
    }
    assertThat(l.classes()).isEqualTo(expectedClasses);
    assertThat(actual).hasSize(49).isEqualTo(expected);
  }

  @Test
  void sortsStringsByCodePointAsPythonDoes() {
    // Python: sorted(["\uff21", "\U0001F600", "a"]) == ["a", "\uff21", "\U0001F600"]; UTF-16 order puts the emoji second
    List<String> s = new ArrayList<>(List.of("\uD83D\uDE00", "\uFF21", "a", "ab", ""));
    s.sort(FolderListing.CODE_POINT_ORDER);
    assertThat(s).containsExactly("", "a", "ab", "\uFF21", "\uD83D\uDE00");
  }

  @Test
  void aClassFolderWithoutImagesIsNamed() throws IOException {
    Path root = tmp.resolve("d");
    FolderTrees.build(root, List.of("file a/x.png", "file b/notes.txt", "dir c/sub"));
    assertThatThrownBy(() -> FolderListing.of(root)).isInstanceOf(CondenseException.class)
        .hasMessage(root + ": no image in class folders b, c (images end in .jpg, .jpeg, .png, .ppm, .bmp, "
            + ".pgm, .tif, .tiff, .webp)");
  }

  @Test
  void aFolderWithoutClassFoldersOrMissingIsNamed() throws IOException {
    Path root = tmp.resolve("flat");
    FolderTrees.build(root, List.of("file x.png"));
    assertThatThrownBy(() -> FolderListing.of(root)).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(root + ": no class folder");
    assertThatThrownBy(() -> FolderListing.of(tmp.resolve("missing"))).isInstanceOf(CondenseException.class)
        .hasMessage(tmp.resolve("missing") + ": no such directory");
  }

  @Test
  void aLinkLoopIsRefusedNamingTheLink() throws IOException {
    Path root = tmp.resolve("loop");
    FolderTrees.build(root, List.of("file a/x.png", "link a/sub/back .."));
    assertThatThrownBy(() -> FolderListing.of(root)).isInstanceOf(CondenseException.class)
        .hasMessageStartingWith(root.resolve("a/sub/back") + ": a symbolic link leads back into");
  }

  private static List<String> lines(String resource) throws IOException {
    try (InputStream in = FolderListingTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
