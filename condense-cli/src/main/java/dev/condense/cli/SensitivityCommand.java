package dev.condense.cli;

import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.graph.Model;
import dev.condense.pipeline.SensitivityAnalysis;
import dev.condense.zoo.ModelSource;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code condense sensitivity}: each prunable layer pruned alone to 0–95% sparsity, no
 * retraining; writes PREFIX.csv, PREFIX.json and a PNG plot with one curve per layer.
 */
@Command(name = "sensitivity", mixinStandardHelpOptions = true,
    description = "Pruning sensitivity: accuracy of each layer pruned alone, 0-95%% sparsity (CSV, JSON, PNG).")
final class SensitivityCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name or an ONNX file (trained).")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "PREFIX", required = true,
      description = "Output prefix: writes PREFIX.csv, PREFIX.json and PREFIX.png.")
  Path out;

  @Option(names = "--sparsities", paramLabel = "LIST", split = ",",
      description = "Sparsities to try (default: 0,0.05,...,0.95).")
  double[] sparsities;

  @Option(names = "--filters", description = "Filter-level sensitivity (Li et al. 2017): remove each conv layer's "
      + "smallest-L1 filters with everything coupled to them; the values are shares of filters (default: 0,0.1,...,0.9).")
  boolean filters;

  @Option(names = "--streams", description = "With --filters: residual streams too, not only the first layer of each block.")
  boolean streams;

  @Mixin
  RuntimeOption runtime;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Override
  public Integer call() throws Exception {
    Output o = new Output(spec.commandLine(), common);
    runtime.check("sensitivity");
    double[] s = sparsities != null ? sparsities
        : filters ? new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} : SensitivityAnalysis.defaultSparsities();
    for (double v : s) {
      if (!(v >= 0 && v <= 1)) {
        throw new Cli.UsageError("--sparsities: values must be in [0, 1], got " + v);
      }
    }
    if (streams && !filters) {
      throw new Cli.UsageError("--streams goes with --filters");
    }
    Path csv = Path.of(out + ".csv");
    OutputPlan.forInput(model).file("--out's CSV", csv).file("--out's JSON", Path.of(out + ".json"))
        .file("--out's plot", Path.of(out + ".png")).check();
    dev.condense.api.Inputs in = data.load(model, common, o);
    DataSplit d = in.data();
    Model m = in.model();
    dev.condense.data.Dataset test = d.calibration(d.test());
    SensitivityAnalysis.Result r;
    try (Engine engine = runtime.forward(common, "sensitivity")) {
      r = filters
          ? SensitivityAnalysis.filters(engine, m, test, s, streams, common.progress())
          : SensitivityAnalysis.run(engine, m, test, s, common.progress());
    }
    StringBuilder sb = new StringBuilder(filters ? "filters_pruned" : "sparsity");
    r.top1().keySet().forEach(l -> sb.append(',').append(l));
    sb.append('\n');
    for (int i = 0; i < s.length; i++) {
      sb.append(s[i]);
      for (double[] acc : r.top1().values()) {
        sb.append(',').append(String.format("%.4f", 100 * acc[i]));
      }
      sb.append('\n');
    }
    CompressionRun.writeAtomically(csv, sb.toString());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("model", model);
    doc.put("data", test.name());
    doc.put("baseline_top1", 100 * r.baseline());
    doc.put(filters ? "filters_pruned" : "sparsities", s);
    Map<String, Object> layers = new LinkedHashMap<>();
    r.top1().forEach((k, v) -> {
      List<Double> pct = new ArrayList<>();
      for (double a : v) {
        pct.add(100 * a);
      }
      layers.put(k, pct);
    });
    doc.put("top1", layers);
    CompressionRun.writeAtomically(Path.of(out + ".json"),
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    Plots.sensitivity(r, (filters ? "Filter pruning sensitivity of " : "Pruning sensitivity of ") + model + " ("
        + test.name() + ")", filters ? "filters pruned away (%)" : "sparsity (%)", Path.of(out + ".png"));
    o.line(sb.toString().replace(",", "\t"));
    o.line("wrote " + csv + ", " + out + ".json, " + out + ".png");
    o.result(doc);
    return 0;
  }
}
