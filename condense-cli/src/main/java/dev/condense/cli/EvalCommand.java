package dev.condense.cli;

import dev.condense.data.DataSplit;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import dev.condense.zoo.ModelSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code condense eval}: accuracy and loss of a model on a data set, in the engine or in ONNX Runtime. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate a model: top-1, top-5 and loss on the test (or training) split.")
final class EvalCommand implements Callable<Integer> {
  enum Runtime { engine, ort }

  enum Split { test, train }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name or an ONNX file.")
  String model;

  @Option(names = "--runtime", paramLabel = "R", defaultValue = "engine",
      description = "engine (Condense's) or ort (ONNX Runtime) (default: ${DEFAULT-VALUE}).")
  Runtime runtime;

  @Option(names = "--split", paramLabel = "S", defaultValue = "test", description = "test or train (default: ${DEFAULT-VALUE}).")
  Split split;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Override
  public Integer call() {
    if (batch < 1) {
      throw new Cli.UsageError("--batch must be ≥ 1, got " + batch);
    }
    Output o = new Output(spec.commandLine().getOut(), common);
    DataSplit d = data.load();
    Dataset set = split == Split.test ? d.test() : d.train();
    Model m = ModelSource.load(model, common.seed);
    Evaluation e;
    String where;
    if (runtime == Runtime.ort) {
      int threads = common.threads == null ? java.lang.Runtime.getRuntime().availableProcessors() : common.threads;
      e = OrtEvaluator.evaluate(m, set, batch, threads, common.progress());
      where = "ONNX Runtime";
    } else {
      Engine engine = common.engine();
      try (Session s = engine.open(m)) {
        e = s.evaluate(set, batch, common.progress());
      }
      where = engine.name();
    }
    o.line(String.format("%s on %s: top-1 %.2f%%  top-5 %.2f%%  loss %.4f  (%d samples, %s)", model, set.name(),
        e.top1Percent(), e.top5Percent(), e.loss(), e.samples(), where));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", model);
    r.put("data", set.name());
    r.put("runtime", where);
    r.putAll(Results.evaluation(e));
    o.result(r);
    return 0;
  }
}
