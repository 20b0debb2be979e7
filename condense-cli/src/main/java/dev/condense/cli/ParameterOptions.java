package dev.condense.cli;

import dev.condense.CondenseException;
import dev.condense.engine.ParameterChoice;
import dev.condense.graph.Model;
import picocli.CommandLine.Option;

/**
 * {@code --trainable} and {@code --frozen}, on every command that trains: overrides of the rule
 * that only parameters train (docs/training.md), checked against the model before any work.
 */
final class ParameterOptions {
  @Option(names = "--trainable", paramLabel = "PATTERNS",
      description = "Also train these float initializers (comma-separated names or globs, e.g. 'pre.*'), "
          + "which the default rule freezes (preprocessing constants, scalars, masks).")
  String trainable;

  @Option(names = "--frozen", paramLabel = "PATTERNS",
      description = "Keep these float initializers fixed in every training (comma-separated names or globs, "
          + "e.g. 'conv1.*').")
  String frozen;

  /** The overrides, each pattern checked against {@code m}: one that matches nothing is a usage error. */
  ParameterChoice choice(Model m) {
    ParameterChoice c;
    try {
      c = ParameterChoice.parse(trainable, frozen);
      c.check(m.graph());
    } catch (CondenseException e) {
      throw new Cli.UsageError("--trainable/--frozen: " + e.getMessage());
    }
    return c;
  }
}
