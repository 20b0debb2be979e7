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
  enum Split { test, train }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name or an ONNX file.")
  String model;

  @Mixin
  RuntimeOption runtimeOption;

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
    Output o = new Output(spec.commandLine(), common);
    dev.condense.api.Inputs in = data.load(model, common, o);
    DataSplit d = in.data();
    Dataset set = split == Split.test ? d.test() : d.train();
    Model m = in.model();
    Evaluation e = null;
    Evaluation ort = null;
    String where = "";
    RuntimeOption.Runtime runtime = runtimeOption.runtime;
    if (runtime == RuntimeOption.Runtime.java) {
      try (dev.condense.runtime.CdzRuntime rt = dev.condense.runtime.CdzRuntime.of(m, CompressionRun.threads(common))) {
        e = rt.evaluate(set, batch, common.progress());
      }
      where = "pure-Java runtime";
      print(o, e, set.name(), where);
    } else if (runtime != RuntimeOption.Runtime.ort) {
      try (Engine engine = common.engine(); Session s = engine.open(m)) {
        e = s.evaluate(set, batch, common.progress());
        where = engine.name();
      }
      print(o, e, set.name(), where);
    }
    if (runtime == RuntimeOption.Runtime.ort || runtime == RuntimeOption.Runtime.both) {
      ort = OrtEvaluator.evaluate(m, set, batch, CompressionRun.threads(common), common.progress());
      print(o, ort, set.name(), "ONNX Runtime");
    }
    Double agreement = e != null && ort != null ? e.agreement(ort) : null;
    if (agreement != null) {
      o.line(String.format("ONNX Runtime gives the engine's top-1 prediction on %.2f%% of the %d samples",
          100 * agreement, e.samples()));
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", model);
    r.put("data", set.name());
    r.put("preprocess", in.preprocess().text());
    r.put("preprocess_from", in.origin().name().toLowerCase(java.util.Locale.ROOT));
    if (e != null) {
      r.put("runtime", where);
      r.putAll(Results.evaluation(e));
    }
    if (ort != null) {
      r.put("ort", Results.evaluation(ort));
    }
    if (agreement != null) {
      r.put("ort_agreement", agreement);
    }
    o.result(r);
    return 0;
  }

  private void print(Output o, Evaluation e, String set, String where) {
    o.line(String.format("%s on %s: top-1 %.2f%%  top-5 %.2f%%  loss %.4f  (%d samples, %s)", model, set,
        e.top1Percent(), e.top5Percent(), e.loss(), e.samples(), where));
  }
}
