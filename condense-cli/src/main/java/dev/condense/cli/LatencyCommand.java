package dev.condense.cli;

import dev.condense.CondenseException;
import dev.condense.graph.Model;
import dev.condense.report.ModelSummary;
import dev.condense.report.TextTable;
import dev.condense.zoo.ModelSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code condense latency}: times a model against another in ONNX Runtime and puts the measured
 * speed-up next to their ratio of multiply-adds. The commands that thin a model time it too, but
 * with the threads they train with and on a machine that may be busy; this re-times two written
 * files alone, with the thread count the deployment will use.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Time two models (an original and its compressed version) in ONNX Runtime, in alternation on "
        + "the same random batches; print the median latencies, the speed-up and the MACs ratio.")
final class LatencyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ORIGINAL", description = "The reference model: a zoo name or an ONNX file.")
  String original;

  @Parameters(index = "1", paramLabel = "MODEL", description = "The model to compare with it: a zoo name or an ONNX file.")
  String other;

  @Option(names = "--batch", paramLabel = "N[,N...]", split = ",", defaultValue = "1,64",
      description = "Batch sizes to time (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    for (int b : batches) {
      if (b < 1 || b > 4096) {
        throw new Cli.UsageError("--batch must be between 1 and 4096, got " + b);
      }
    }
    Output o = new Output(spec.commandLine(), common);
    Model a = ModelSource.load(original, common.seed, common.memoryLimit());
    Model b = ModelSource.load(other, common.seed, common.memoryLimit());
    int[] sa = inputShape(a, original);
    int[] sb = inputShape(b, other);
    if (!Arrays.equals(sa, sb)) {
      throw new CondenseException(original + " takes inputs of shape " + Arrays.toString(sa) + " but " + other
          + " takes " + Arrays.toString(sb) + "; only models of the same input can be compared");
    }
    int threads = CompressionRun.threads(common);
    long macsA = ModelSummary.of(a).macs();
    long macsB = ModelSummary.of(b).macs();
    double macsRatio = (double) macsA / macsB;
    TextTable t = new TextTable("batch", "original ms", "model ms", "speed-up", "MACs ratio", "speed-up / MACs ratio");
    List<Object> rows = new ArrayList<>();
    for (int batch : batches) {
      o.note("timing both models in ONNX Runtime at batch " + batch + " (" + threads + " threads)");
      OrtLatency.Pair ms = OrtLatency.medianMs(a, b, batch, threads, common.seed);
      double speedUp = ms.firstMs() / ms.secondMs();
      t.row(batch, String.format("%.3f", ms.firstMs()), String.format("%.3f", ms.secondMs()),
          String.format("%.2fx", speedUp), String.format("%.2fx", macsRatio), String.format("%.2f", speedUp / macsRatio));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("batch", batch);
      row.put("original_ms", Results.round(ms.firstMs()));
      row.put("model_ms", Results.round(ms.secondMs()));
      row.put("speed_up", Results.round(speedUp));
      rows.add(row);
    }
    o.line(original + " (" + macsA + " MACs) against " + other + " (" + macsB + " MACs), ONNX Runtime with "
        + threads + " threads:");
    o.line(t.toText());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("original", original);
    r.put("model", other);
    r.put("threads", threads);
    r.put("macs_original", macsA);
    r.put("macs_model", macsB);
    r.put("macs_ratio", Results.round(macsRatio));
    r.put("latency", rows);
    o.result(r);
    return 0;
  }

  /** The first input's shape without its batch dimension. */
  private static int[] inputShape(Model m, String name) {
    if (m.graph().inputs().isEmpty()) {
      throw new CondenseException(name + " has no graph input to time");
    }
    int[] s = m.graph().inputs().get(0).shapeOr(-1);
    if (s == null || s.length == 0 || Arrays.stream(s, 1, s.length).anyMatch(d -> d < 1)) {
      throw new CondenseException(name + ": input '" + m.graph().inputs().get(0).name()
          + "' needs a fixed shape apart from its batch dimension to be timed");
    }
    return Arrays.copyOfRange(s, 1, s.length);
  }
}
