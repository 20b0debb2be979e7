package dev.condense.cli;

import dev.condense.pipeline.Recipe;
import dev.condense.pipeline.RecipeReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code condense compress --recipe r.yaml MODEL}: runs a recipe's steps and reports every stage. */
@Command(name = "compress", mixinStandardHelpOptions = true,
    description = "Run a compression recipe (YAML: train, prune, iterative-prune, gradual-prune, remove-dead-neurons).")
final class CompressCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name or an ONNX file.")
  String model;

  @Option(names = "--recipe", paramLabel = "FILE", required = true, description = "The recipe (see recipes/).")
  Path recipe;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write the compressed ONNX model.")
  Path out;

  @Option(names = "--report", paramLabel = "FILE.md", description = "Also write the report as Markdown (and JSON beside it).")
  Path report;

  @Option(names = "--no-verify", description = "Skip the check of the written model in ONNX Runtime.")
  boolean noVerify;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Override
  public Integer call() throws Exception {
    Recipe r = RecipeReader.read(recipe);
    return CompressionRun.run(new Output(spec.commandLine().getOut(), common), common, data, model,
        "Recipe " + r.name() + " on " + model, r.steps(), out, report, !noVerify);
  }
}
