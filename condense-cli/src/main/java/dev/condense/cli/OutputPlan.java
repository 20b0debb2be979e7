package dev.condense.cli;

import dev.condense.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every file a command will write, each named by the option that asks for it, checked together
 * before any work starts: a model output must end in {@code .onnx} or {@code .cdz}; no output may
 * be the input model or another output (a report written over the model, a report's JSON beside
 * it written over the model or the input); every output must be a regular file in a writable
 * directory. So an hour of training never ends in a refused or destructive write.
 */
final class OutputPlan {
  private record Output(String option, Path path) {}

  private final String input;
  private final List<Output> outputs = new ArrayList<>();

  private OutputPlan(String input) {
    this.input = input;
  }

  /** A plan for a command whose input model is {@code inputSpec} (a file, or a zoo name). */
  static OutputPlan forInput(String inputSpec) {
    return new OutputPlan(inputSpec);
  }

  /** A model file: ONNX or {@code .cdz}, by its extension (any case). */
  OutputPlan model(String option, Path p) {
    String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".onnx") && !name.endsWith(".cdz")) {
      throw new Cli.UsageError(option + ": " + p + " must end in .onnx or .cdz (the format follows the extension)");
    }
    return file(option, p);
  }

  /** Any other output file. */
  OutputPlan file(String option, Path p) {
    outputs.add(new Output(option, p));
    return this;
  }

  /** A Markdown report and the JSON (and, where asked, the plots: weights, plan, rounds) written beside it. */
  OutputPlan report(String option, Path md, boolean plot) {
    file(option, md);
    file(option + "'s JSON", sibling(md, ".json"));
    if (plot) {
      file(option + "'s weight plot", sibling(md, "-weights.png"));
      file(option + "'s plan plot", sibling(md, "-plan.png"));
      file(option + "'s rounds plot", sibling(md, "-rounds.png"));
    }
    return this;
  }

  /** {@code report.md} → {@code report} + suffix, as the report writer names its companions. */
  static Path sibling(Path md, String suffix) {
    return md.resolveSibling(md.getFileName().toString().replaceFirst("\\.md$", "") + suffix);
  }

  /** Refuses the plan (a usage error naming the options) if any output is unwritable or collides. */
  void check() {
    Path in = Path.of(input);
    boolean inputIsFile = Files.isRegularFile(in);
    for (int i = 0; i < outputs.size(); i++) {
      Output o = outputs.get(i);
      String why = AtomicFile.unwritableReason(o.path());
      if (why != null) {
        throw new Cli.UsageError(o.option() + ": cannot write " + o.path() + ": " + why);
      }
      if (inputIsFile && same(in, o.path())) {
        throw new Cli.UsageError(o.option() + ": " + o.path() + " is the input model; Condense never overwrites its input");
      }
      for (int j = 0; j < i; j++) {
        Output earlier = outputs.get(j);
        if (same(earlier.path(), o.path())) {
          throw new Cli.UsageError(o.option() + " and " + earlier.option() + " are the same file (" + o.path()
              + "); give them different names");
        }
      }
    }
  }

  private static boolean same(Path a, Path b) {
    if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false; // cannot compare: the write itself reports problems
    }
  }
}
