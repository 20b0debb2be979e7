package dev.condense.cli;

import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.blas.NativeEngines;
import picocli.CommandLine.Option;

/** Options every command takes: output style, threads and the seed. */
final class CommonOptions {
  @Option(names = "--quiet", description = "Print no progress, only results.")
  boolean quiet;

  @Option(names = "--json", description = "Print results as JSON on stdout (progress stays on stderr).")
  boolean json;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
  Integer threads;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed for initialisation, shuffling and every other random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  Engine engine() {
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1) {
      throw new Cli.UsageError("--threads must be ≥ 1, got " + t);
    }
    return NativeEngines.create(t);
  }

  Progress progress() {
    return ConsoleProgress.forRun(quiet || json);
  }
}
