package dev.condense;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which {@code dev.condense} package uses which, read from Java sources: import lines and
 * fully-qualified names written inline in code ({@code dev.condense.engine.cpu.Parallel}).
 * Comments and string literals do not count. The Java twin of {@code tools/package-deps.sh}.
 */
final class PackageDependencies {
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+(dev\\.condense[\\w.]*)\\s*;", Pattern.MULTILINE);
  /** A qualified name: lower-case package parts, then a class name (or * of an import). */
  private static final Pattern USE = Pattern.compile("\\bdev\\.condense((?:\\.[a-z]\\w*)*)\\.(?:[A-Z]|\\*)");

  private PackageDependencies() {}

  /** Package → the other dev.condense packages its sources use, for every .java file under {@code root}. */
  static Map<String, Set<String>> of(Path root) {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        add(deps, Files.readString(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deps;
  }

  /** Adds the uses of one source file to {@code deps}. */
  static void add(Map<String, Set<String>> deps, String source) {
    String code = codeOnly(source);
    Matcher p = PACKAGE.matcher(code);
    if (!p.find()) {
      return;
    }
    String pkg = p.group(1);
    Set<String> uses = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
    Matcher m = USE.matcher(code.substring(p.end()));
    while (m.find()) {
      String used = "dev.condense" + m.group(1);
      if (!used.equals(pkg)) {
        uses.add(used);
      }
    }
  }

  /** The source with comments and string and character literals blanked out. */
  static String codeOnly(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("//", i)) {
        int end = s.indexOf('\n', i);
        i = end < 0 ? s.length() : end;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? s.length() : end + 2;
        out.append(' ');
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        i = end < 0 ? s.length() : end + 3;
        out.append("\"\"");
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        i = Math.min(s.length(), j + 1);
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** A forbidden use: sources in package {@code from} must not use {@code to} or its sub-packages. */
  record Rule(String from, String to, String why) {
    boolean forbids(String pkg, String used) {
      return pkg.equals(from) && (used.equals(to) || used.startsWith(to + "."));
    }
  }

  /** The uses that break a rule, one line each ("dev.condense.format uses dev.condense.prune: ..."). */
  static List<String> violations(Map<String, Set<String>> deps, List<Rule> rules) {
    List<String> out = new ArrayList<>();
    deps.forEach((pkg, uses) -> {
      for (String used : uses) {
        for (Rule r : rules) {
          if (r.forbids(pkg, used)) {
            out.add(pkg + " uses " + used + ": " + r.why());
          }
        }
      }
    });
    return out;
  }
}
