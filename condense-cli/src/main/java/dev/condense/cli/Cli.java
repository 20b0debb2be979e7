package dev.condense.cli;

import dev.condense.CondenseException;
import dev.condense.MemoryLimitException;
import dev.condense.Version;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code condense} command. Exit status: 0 success, 2 usage error (unknown option,
 * nonsense value), 1 failure (bad file, unsupported model, anything else). User errors print one
 * line on stderr — a usage error names the option and points to {@code --help} instead of
 * printing the whole help; only an internal error prints a stack trace, and only with
 * {@code CONDENSE_DEBUG=1}.
 */
@Command(name = "condense", mixinStandardHelpOptions = true, versionProvider = Cli.VersionInfo.class,
    description = "Compress trained neural networks: prune, quantize, entropy-code, fine-tune, check, export.",
    subcommands = {TrainCommand.class, EvalCommand.class, InfoCommand.class, PruneCommand.class,
        CompressCommand.class, PruneFiltersCommand.class, TrimCommand.class, ChannelPruneCommand.class, SensitivityCommand.class, VqCommand.class,
        VqSweepCommand.class, LatencyCommand.class, DemoCommand.class,
        QuantizeCommand.class})
public final class Cli {

  /** A nonsense option value found after parsing (exit status 2). */
  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  static final class VersionInfo implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"condense " + Version.VERSION};
    }
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** Runs the command line and returns its exit status (for tests and embedding). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cl = new CommandLine(new Cli());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((ex, args1) -> {
      err.println(usageLine(ex.getCommandLine(), ex.getMessage()));
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof UsageError) {
        err.println(usageLine(cmd, ex.getMessage()));
        return 2;
      }
      if (ex instanceof MemoryLimitException m) {
        err.println("condense: error: " + ErrorLine.of(m.getMessage()) + MemoryAdvice.remedy(m));
        return 1;
      }
      if (ex instanceof CondenseException) {
        err.println("condense: error: " + ErrorLine.of(ex.getMessage()));
        return 1;
      }
      err.println("condense: internal error: " + ErrorLine.of(ex.toString()) + (System.getenv("CONDENSE_DEBUG") == null
          ? " (set CONDENSE_DEBUG=1 for the stack trace, and please report it)" : ""));
      if (System.getenv("CONDENSE_DEBUG") != null) {
        ex.printStackTrace(err);
      }
      return 1;
    });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      err.println("condense: error: " + ErrorLine.of(MemoryAdvice.outOfMemory(cl.getParseResult(), Runtime.getRuntime().maxMemory())));
      return 1;
    }
  }

  /** One line: the command, what is wrong with its options, and where the help is. */
  static String usageLine(CommandLine cmd, String message) {
    String name = cmd.getCommandSpec().qualifiedName();
    String m = message == null ? "invalid usage" : message.strip().replaceFirst("^Error: ", "").lines().findFirst().orElse("");
    if (!m.isEmpty()) {
      m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
    return name + ": " + ErrorLine.of(m) + " (see '" + name + " --help')";
  }
}
