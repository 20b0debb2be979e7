package dev.condense.cli;

import dev.condense.data.DataSources;
import dev.condense.data.DataSplit;
import picocli.CommandLine.Option;

/** Which data a command trains or evaluates on. */
final class DataOptions {
  @Option(names = "--data", paramLabel = "SPEC", defaultValue = "mnist",
      description = "mnist (built in, default), fashion-mnist[:DIR], cifar10:DIR, mnist:DIR, "
          + "a directory of IDX files, npz:FILE or npy:DIR (NumPy x_train, y_train, x_test, y_test; docs/data.md).")
  String data;

  @Option(names = "--limit", paramLabel = "N",
      description = "Use only the first N training and test samples (quick runs).")
  Integer limit;

  DataSplit load() {
    if (limit != null && limit < 1) {
      throw new Cli.UsageError("--limit must be ≥ 1, got " + limit);
    }
    return limit == null ? DataSources.resolve(data) : DataSources.resolve(data, limit);
  }
}
