package dev.condense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.condense.PackageDependencies.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of condense-core hold: compression methods reach the engine only through {@code
 * engine}'s interfaces, shared numeric code sits in a package that imports nothing of Condense,
 * and the file format, channel structure and runtime do not lean on the layers above them. Each
 * package's {@code package-info.java} states the same rules in words.
 */
class LayeringTest {
  private static final String CPU = "dev.condense.engine.cpu";

  /** The rules; a package not named here may use any package that does not break another rule. */
  static List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    for (String p : List.of("codec", "data", "engine", "format", "graph", "onnx", "pipeline", "plan", "prune", "quant",
        "quant.int8", "quant.int4", "report", "structure", "zoo")) {
      rules.add(new Rule("dev.condense." + p, CPU, "methods and formats reach the engine through dev.condense.engine's "
          + "interfaces, shared numeric code through dev.condense.numeric"));
    }
    rules.add(new Rule("dev.condense.numeric", "dev.condense", "numeric code is neutral: it imports nothing of Condense"));
    rules.add(new Rule("dev.condense.format", "dev.condense.prune", "the file format does not depend on pruning"));
    rules.add(new Rule("dev.condense.structure", "dev.condense.zoo", "channel structure does not depend on the zoo"));
    rules.add(new Rule(CPU, "dev.condense.runtime", "the .cdz runtime is built on the engine, not the other way"));
    List<String> above = List.of("api", "codec", "data", "engine", "format", "numeric", "onnx", "ops", "pipeline", "plan", "prune",
        "quant", "report", "runtime", "structure", "zoo");
    for (String p : above) {
      rules.add(new Rule("dev.condense.graph", "dev.condense." + p, "the model classes import only the root package"));
      if (!p.equals("ops")) {
        rules.add(new Rule("dev.condense.ops", "dev.condense." + p, "the op table imports only graph and the root "
            + "package (the engine implements its EngineKernels)"));
      }
    }
    return rules;
  }

  @Test
  void coreSourcesKeepTheRules() {
    Map<String, Set<String>> deps = PackageDependencies.of(Path.of("src/main/java"));
    assertThat(deps).as("the scan found the sources").containsKeys("dev.condense.format", CPU, "dev.condense.numeric");
    assertThat(deps.get("dev.condense.format")).as("the scan sees imports").contains("dev.condense.graph");
    assertThat(PackageDependencies.violations(deps, rules())).isEmpty();
  }

  @Test
  void everyPackageSaysWhatItIsForAndWhatItMayImport() throws IOException {
    List<String> missing;
    try (Stream<Path> dirs = Files.walk(Path.of("src/main/java"))) {
      missing = dirs.filter(Files::isDirectory).filter(LayeringTest::hasJava)
          .filter(d -> !Files.isRegularFile(d.resolve("package-info.java"))).map(Path::toString).toList();
    }
    assertThat(missing).as("packages without package-info.java").isEmpty();
  }

  private static boolean hasJava(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void anImportOrAnInlineNameBreaksARule() {
    Map<String, Set<String>> deps = new TreeMap<>();
    PackageDependencies.add(deps, """
        package dev.condense.format;

        import dev.condense.graph.Model;
        import dev.condense.prune.Masks;
        """);
    PackageDependencies.add(deps, """
        package dev.condense.quant;

        final class K {
          void f() {
            try (var p = new dev.condense.engine.cpu.Parallel(1)) { }
          }
        }
        """);
    assertThat(PackageDependencies.violations(deps, rules())).containsExactly(
        "dev.condense.format uses dev.condense.prune: the file format does not depend on pruning",
        "dev.condense.quant uses dev.condense.engine.cpu: methods and formats reach the engine through "
            + "dev.condense.engine's interfaces, shared numeric code through dev.condense.numeric");
  }

  @Test
  void commentsAndStringsDoNotCount() {
    Map<String, Set<String>> deps = new TreeMap<>();
    PackageDependencies.add(deps, """
        package dev.condense.format;

        /** Unlike {@link dev.condense.prune.Masks}, ... */
        final class F {
          // dev.condense.prune.Masks
          String s = "dev.condense.prune.Masks";
          char c = '"';
          Object o = dev.condense.graph.Tensor.class; /* dev.condense.zoo.Zoo */
        }
        """);
    assertThat(deps).containsExactly(Map.entry("dev.condense.format", Set.of("dev.condense.graph")));
  }
}
