package dev.condense.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of the op table: outside {@code dev.condense.ops}, no code decides by comparing an op
 * name (it asks the node's {@link Op}). Creating nodes by name (the zoo) is fine.
 */
class OpNamesStayInTheTableTest {
  private static final String NAMES = String.join("|", OpTable.standard().types());

  /** Comparisons of op types: equals on opType(), a switch over it, a case label or set of op names. */
  private static final List<Pattern> COMPARISONS = List.of(
      Pattern.compile("opType\\(\\)\\s*\\.\\s*(equals|equalsIgnoreCase|startsWith|contentEquals)\\s*\\("),
      Pattern.compile("\\.equals(IgnoreCase)?\\([^;]*opType\\(\\)"),
      Pattern.compile("switch\\s*\\([^;{]*opType\\(\\)"),
      Pattern.compile("\\bop\\(\\)\\s*\\.\\s*equals\\s*\\("),
      Pattern.compile("case\\s+\"(" + NAMES + ")\"\\s*[-:,]"),
      Pattern.compile("\"(" + NAMES + ")\"\\s*\\.\\s*equals\\s*\\("),
      Pattern.compile("(Set|List)\\.of\\([^;]*\"(" + NAMES + ")\""));

  static List<String> violations(String file, List<String> lines) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      for (Pattern p : COMPARISONS) {
        if (p.matcher(line).find()) {
          found.add(file + ":" + (i + 1) + ": " + line.trim());
          break;
        }
      }
    }
    return found;
  }

  @Test
  void noOpNameIsComparedOutsideTheOpsPackage() throws IOException {
    Path root = Path.of("src/main/java");
    Path ops = root.resolve("dev/condense/ops");
    List<String> found = new ArrayList<>();
    int files = 0;
    try (Stream<Path> all = Files.walk(root)) {
      for (Path f : all.filter(p -> p.toString().endsWith(".java") && !p.startsWith(ops)).toList()) {
        files++;
        found.addAll(violations(root.relativize(f).toString(), Files.readAllLines(f)));
      }
    }
    assertThat(files).as("core sources scanned").isGreaterThan(100);
    assertThat(found).isEmpty();
  }

  @Test
  void theScanCatchesTheComparisonsItForbids() {
    assertThat(violations("X.java", List.of(
        "if (n.opType().equals(\"Conv\")) {",
        "boolean b = \"Relu\".equals(p.opType());",
        "return switch (node.opType()) {",
        "case \"Gemm\", \"MatMul\" -> 1;",
        "Set<String> S = Set.of(\"Relu\", \"Tanh\");",
        "return l.op().equals(\"Conv\");"))).hasSize(6);
    assertThat(violations("X.java", List.of(
        "graph.node(new Node(name, \"Conv\", inputs, List.of(out)));",
        "case \"lenet-5\" -> LeNet.lenet5();",
        "Kind k = table.kind(n);"))).isEmpty();
  }
}
