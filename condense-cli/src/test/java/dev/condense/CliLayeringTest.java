package dev.condense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.PackageDependencies.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * condense-cli's packages keep their layers: the ONNX Runtime engine ({@code dev.condense.ort})
 * is reached through the engine interfaces and never leans on the command line or on the CPU
 * engine it stands beside; every package says in {@code package-info.java} what it may import.
 * The same scan as condense-core's {@code LayeringTest}.
 */
class CliLayeringTest {
  static List<Rule> rules() {
    String why = "the ONNX Runtime engine implements dev.condense.engine's interfaces; the command line uses it, "
        + "not the other way, and it stands beside the CPU engine";
    return List.of(new Rule("dev.condense.ort", "dev.condense.cli", why),
        new Rule("dev.condense.ort", "dev.condense.engine.cpu", why),
        new Rule("dev.condense.ort", "dev.condense.engine.blas", why));
  }

  @Test
  void cliSourcesKeepTheRules() {
    Map<String, Set<String>> deps = PackageDependencies.of(Path.of("src/main/java"));
    assertThat(deps).as("the scan found the sources").containsKeys("dev.condense.cli", "dev.condense.ort");
    assertThat(deps.get("dev.condense.cli")).as("the scan sees imports").contains("dev.condense.ort");
    assertThat(PackageDependencies.violations(deps, rules())).isEmpty();
  }

  @Test
  void aCommandLineImportInTheOrtEngineBreaksARule() {
    Map<String, Set<String>> deps = new java.util.TreeMap<>();
    PackageDependencies.add(deps, """
        package dev.condense.ort;

        import dev.condense.cli.Cli;
        import dev.condense.engine.Session;
        """);
    assertThat(PackageDependencies.violations(deps, rules())).containsExactly(
        "dev.condense.ort uses dev.condense.cli: " + rules().get(0).why());
  }

  @Test
  void everyPackageSaysWhatItIsForAndWhatItMayImport() throws IOException {
    List<Path> missing;
    try (Stream<Path> dirs = Files.walk(Path.of("src/main/java"))) {
      missing = dirs.filter(Files::isDirectory).filter(CliLayeringTest::hasJava)
          .filter(d -> !Files.isRegularFile(d.resolve("package-info.java"))).toList();
    }
    assertThat(missing).as("packages without package-info.java").isEmpty();
  }

  private static boolean hasJava(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
