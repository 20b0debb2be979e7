package dev.condense.cli;

import dev.condense.CondenseException;
import dev.condense.report.TextTable;
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
 * files alone, with the thread count the deployment will use. A file is timed as it is on disk,
 * whatever ONNX Runtime loads (a 4-bit MatMulNBits file too): Condense's reader is asked only for
 * the multiply-adds ({@link LatencyModel}).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Time two models (an original and its compressed version) in ONNX Runtime, in alternation on "
        + "the same random batches; print the median latencies, the speed-up and the MACs ratio.")
final class LatencyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ORIGINAL", description = "The reference model: a zoo name or an ONNX file (any file ONNX Runtime loads).")
  String original;

  @Parameters(index = "1", paramLabel = "MODEL", description = "The model to compare with it: a zoo name or an ONNX file (any file ONNX Runtime loads).")
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
    LatencyModel a = LatencyModel.load(original, common.seed, common.memoryLimit());
    LatencyModel b = LatencyModel.load(other, common.seed, common.memoryLimit());
    int[] sa = a.sample();
    int[] sb = b.sample();
    if (!Arrays.equals(sa, sb)) {
      throw new CondenseException(original + " takes inputs of shape " + Arrays.toString(sa) + " but " + other
          + " takes " + Arrays.toString(sb) + "; only models of the same input can be compared");
    }
    for (int batch : batches) {
      a.shape(batch);
      b.shape(batch);
    }
    for (LatencyModel m : List.of(a, b)) {
      if (m.uncounted() != null) {
        o.note("multiply-adds of " + m.spec() + " not counted (" + m.uncounted() + "); ONNX Runtime times it all the same");
      }
    }
    int threads = CompressionRun.threads(common);
    Double macsRatio = a.macs().isPresent() && b.macs().isPresent()
        ? (double) a.macs().getAsLong() / b.macs().getAsLong() : null;
    TextTable t = new TextTable("batch", "original ms", "model ms", "speed-up", "MACs ratio", "speed-up / MACs ratio");
    List<Object> rows = new ArrayList<>();
    for (int batch : batches) {
      o.note("timing both models in ONNX Runtime at batch " + batch + " (" + threads + " threads)");
      OrtLatency.Pair ms = OrtLatency.medianMs(a.ort(), a.input().name(), b.ort(), b.input().name(), a.shape(batch),
          threads, common.seed);
      double speedUp = ms.firstMs() / ms.secondMs();
      t.row(batch, String.format("%.3f", ms.firstMs()), String.format("%.3f", ms.secondMs()),
          String.format("%.2fx", speedUp), macsRatio == null ? "-" : String.format("%.2fx", macsRatio),
          macsRatio == null ? "-" : String.format("%.2f", speedUp / macsRatio));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("batch", batch);
      row.put("original_ms", Results.round(ms.firstMs()));
      row.put("model_ms", Results.round(ms.secondMs()));
      row.put("speed_up", Results.round(speedUp));
      rows.add(row);
    }
    o.line(original + " (" + macs(a) + ") against " + other + " (" + macs(b) + "), ONNX Runtime with "
        + threads + " threads:");
    o.line(t.toText());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("original", original);
    r.put("model", other);
    r.put("threads", threads);
    r.put("macs_original", a.macs().isPresent() ? a.macs().getAsLong() : null);
    r.put("macs_model", b.macs().isPresent() ? b.macs().getAsLong() : null);
    r.put("macs_ratio", macsRatio == null ? null : Results.round(macsRatio));
    Map<String, Object> uncounted = new LinkedHashMap<>();
    for (LatencyModel m : List.of(a, b)) {
      if (m.uncounted() != null) {
        uncounted.put(m.spec(), m.uncounted());
      }
    }
    if (!uncounted.isEmpty()) {
      r.put("macs_uncounted", uncounted);
    }
    r.put("latency", rows);
    o.result(r);
    return 0;
  }

  private static String macs(LatencyModel m) {
    return m.macs().isPresent() ? m.macs().getAsLong() + " MACs" : "MACs not counted";
  }
}
