package dev.condense.cli;

import dev.condense.MemoryLimit;
import dev.condense.MemoryLimitException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * What to tell a user whose run did not fit in memory: the option that helps for a refusal
 * ({@link MemoryLimitException}: a smaller {@code --batch} when the amount grows with it, a higher
 * {@code --max-memory} when it does not), and for an out-of-memory error the command, its files
 * and the heap it ran out of, with {@code --batch} suggested only where the command has one.
 */
final class MemoryAdvice {
  private MemoryAdvice() {}

  /** The remedy appended to a refusal's message. */
  static String remedy(MemoryLimitException e) {
    return e.remedy() == MemoryLimitException.Remedy.BATCH
        ? " (use a smaller --batch, or raise --max-memory)"
        : " (raise --max-memory, and the JVM heap to match with JAVA_OPTS=-Xmx, if you trust the input)";
  }

  /** One line for an out-of-memory error in the command {@code parsed} (null if parsing had not finished). */
  static String outOfMemory(ParseResult parsed, long heapBytes) {
    ParseResult sub = parsed;
    while (sub != null && sub.hasSubcommand()) {
      sub = sub.subcommand();
    }
    String heap = MemoryLimit.describe(heapBytes);
    String more = "give the JVM more heap (JAVA_OPTS=-Xmx" + Math.max(2, 2 * ((heapBytes + (1L << 30) - 1) >> 30)) + "g)";
    if (sub == null || sub.commandSpec().parent() == null) {
      return "out of memory (the JVM's heap is " + heap + "); " + more;
    }
    CommandLine.Model.CommandSpec spec = sub.commandSpec();
    List<String> files = sub.matchedPositionals().stream().flatMap(p -> p.stringValues().stream()).toList();
    String what = "'" + spec.qualifiedName() + "'" + (files.isEmpty() ? "" : " on " + String.join(", ", files));
    OptionSpec batch = spec.findOption("--batch");
    if (batch == null) {
      return "out of memory in " + what + " (the JVM's heap of " + heap + " is full); " + more;
    }
    String value = String.join(",", batch.stringValues().isEmpty() ? List.of(String.valueOf(batch.defaultValue()))
        : batch.stringValues());
    return "out of memory in " + what + " at --batch " + value + " (the JVM's heap of " + heap + " is full); use a smaller"
        + " --batch, or " + more;
  }
}
