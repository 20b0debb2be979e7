package dev.condense.cli;

import dev.condense.CondenseException;
import dev.condense.MemoryLimit;
import dev.condense.engine.Engine;
import dev.condense.engine.Progress;
import dev.condense.engine.blas.NativeEngines;
import picocli.CommandLine.Option;

/** Options every command takes: output style, threads and the seed. */
final class CommonOptions {
  /** The most worker threads: more than any machine Condense runs on has cores, and each thread costs a stack. */
  static final int MAX_THREADS = 1024;

  @Option(names = "--quiet", description = "Print no progress, only results.")
  boolean quiet;

  @Option(names = "--json", description = "Print results as JSON on stdout (progress stays on stderr).")
  boolean json;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
  Integer threads;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed for initialisation, shuffling and every other random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--max-memory", paramLabel = "SIZE",
      description = "Most memory one model's tensors, or one batch's buffers, may take (512m, 2g; default: half the JVM heap)."
          + " Files and batches beyond it are refused before anything is allocated.")
  String maxMemory;

  Engine engine() {
    return NativeEngines.create(threadCount(), memoryLimit());
  }

  /** --threads, checked, or all processors. */
  int threadCount() {
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1 || t > MAX_THREADS) {
      throw new Cli.UsageError("--threads must be between 1 and " + MAX_THREADS + ", got " + t);
    }
    return t;
  }

  /** The --max-memory limit, or half the heap; more than the heap is a usage error (it would end in out of memory). */
  MemoryLimit memoryLimit() {
    if (maxMemory == null) {
      return MemoryLimit.forThisHeap();
    }
    long bytes;
    try {
      bytes = MemoryLimit.parseBytes(maxMemory);
    } catch (CondenseException e) {
      throw new Cli.UsageError("--max-memory: " + e.getMessage());
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap) {
      throw new Cli.UsageError("--max-memory " + MemoryLimit.describe(bytes) + " is more than the JVM's "
          + MemoryLimit.describe(heap) + " heap; give the JVM more (JAVA_OPTS=-Xmx" + ((bytes >> 30) + 2) + "g)");
    }
    return MemoryLimit.of(bytes);
  }

  Progress progress() {
    return ConsoleProgress.forRun(quiet || json);
  }
}
