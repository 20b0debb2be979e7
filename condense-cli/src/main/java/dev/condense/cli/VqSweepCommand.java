package dev.condense.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.graph.Model;
import dev.condense.pipeline.VqSweep;
import dev.condense.report.TextTable;
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
 * {@code condense vq-sweep}: accuracy against compression rate for binarization, scalar k-means,
 * product and residual quantization of the FC layers (Gong et al. 2014, Figs. 2–4), without and
 * with codebook fine-tuning; writes PREFIX.csv, .json, .md and a PNG plot.
 */
@Command(name = "vq-sweep", mixinStandardHelpOptions = true,
    description = "Rate-accuracy sweep of the four vector quantizers over the FC layers (CSV, JSON, Markdown, PNG).")
final class VqSweepCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A trained model (zoo name, ONNX or .cdz).")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "PREFIX", required = true, description = "Output prefix.")
  Path out;

  @Option(names = "--fine-tune-epochs", paramLabel = "N", defaultValue = "1",
      description = "Codebook fine-tuning epochs for the second curve, 0 for none (default: ${DEFAULT-VALUE}).")
  int fineTuneEpochs;

  @Option(names = "--fine-tune-lr", paramLabel = "X", defaultValue = "" + dev.condense.pipeline.Step.VectorQuantize.FINE_TUNE_LR,
      description = "Fine-tuning rate; each codeword moves by its members' mean gradient (default: ${DEFAULT-VALUE}).")
  double fineTuneLr;

  @Option(names = "--methods", paramLabel = "M[,M...]", split = ",", defaultValue = "binary,kmeans,pq,rq",
      description = "Which quantizers to sweep, of binary, kmeans, pq, rq (default: ${DEFAULT-VALUE}).")
  List<String> methods;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Override
  public Integer call() throws Exception {
    OptionRange.epochs("--fine-tune-epochs", fineTuneEpochs);
    OptionRange.lr("--fine-tune-lr", fineTuneLr);
    List<dev.condense.quant.VectorQuantizer> grid = grid(methods);
    Output o = new Output(spec.commandLine(), common);
    Path csv = Path.of(out + ".csv");
    OutputPlan.forInput(model).file("--out's CSV", csv).file("--out's JSON", Path.of(out + ".json"))
        .file("--out's plot", Path.of(out + ".png")).check();
    dev.condense.api.Inputs in = data.load(model, common, o);
    DataSplit d = in.data();
    Model m = in.model();
    List<VqSweep.Point> points;
    try (Engine engine = common.engine()) {
      points = VqSweep.run(engine, m, d, grid, fineTuneEpochs, fineTuneLr, common.seed, common.progress());
    }
    StringBuilder c = new StringBuilder("family,setting,paper_rate,real_rate,dense_bytes,coded_bytes,top1,top1_fine_tuned\n");
    TextTable t = new TextTable("family", "setting", "Gong's rate", "real rate (.cdz)", "top-1", "top-1 fine-tuned");
    List<Object> json = new ArrayList<>();
    for (VqSweep.Point p : points) {
      c.append(String.format("%s,%s,%.3f,%.3f,%d,%d,%.4f,%.4f%n", p.family(), p.setting(), p.paperRate(), p.realRate(),
          p.denseBytes(), p.codedBytes(), 100 * p.top1(), 100 * p.top1FineTuned()));
      t.row(p.family(), p.setting(), String.format("%.1f×", p.paperRate()), String.format("%.1f×", p.realRate()),
          String.format("%.2f%%", 100 * p.top1()),
          Double.isNaN(p.top1FineTuned()) ? "-" : String.format("%.2f%%", 100 * p.top1FineTuned()));
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("family", p.family());
      j.put("setting", p.setting());
      j.put("paper_rate", p.paperRate());
      j.put("real_rate", p.realRate());
      j.put("dense_bytes", p.denseBytes());
      j.put("coded_bytes", p.codedBytes());
      j.put("top1", 100 * p.top1());
      j.put("top1_fine_tuned", 100 * p.top1FineTuned());
      json.add(j);
    }
    String md = "# Vector quantization sweep: " + model + " on " + d.test().name() + "\n\n" + t.toMarkdown() + "\n"
        + winners(points);
    CompressionRun.writeAtomically(csv, c.toString());
    CompressionRun.writeAtomically(Path.of(out + ".md"), md);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("model", model);
    doc.put("data", d.test().name());
    doc.put("points", json);
    CompressionRun.writeAtomically(Path.of(out + ".json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    Plots.vqSweep(points, "Vector quantization of the FC layers of " + model, Path.of(out + ".png"));
    o.line(md);
    o.result(doc);
    return 0;
  }

  /** The default grid's settings of the named methods (the names {@code condense vq --method} takes). */
  static List<dev.condense.quant.VectorQuantizer> grid(List<String> methods) {
    Map<String, String> families = Map.of("binary", "binarization", "kmeans", "k-means", "pq", "PQ", "rq", "RQ");
    for (String m : methods) {
      if (!families.containsKey(m)) {
        throw new Cli.UsageError("--methods takes binary, kmeans, pq and rq, got '" + m + "'");
      }
    }
    return VqSweep.defaultGrid().stream().filter(q -> methods.stream().anyMatch(m -> families.get(m).equals(VqSweep.family(q))))
        .toList();
  }

  /** For a few target rates, the best accuracy each family reaches at that rate or more. */
  static String winners(List<VqSweep.Point> points) {
    TextTable t = new TextTable("at Gong's rate ≥", "binarization", "k-means", "PQ", "RQ", "best");
    for (double rate : new double[] {4, 8, 16, 24, 32, 48}) {
      List<Object> cells = new ArrayList<>();
      cells.add(String.format("%.0f×", rate));
      String best = "-";
      double bestAcc = -1;
      for (String fam : List.of("binarization", "k-means", "PQ", "RQ")) {
        // Rates compare as printed (one decimal): k-means k=4 is 15.99× with its codebook, shown 16.0×.
        double acc = points.stream().filter(p -> p.family().equals(fam) && p.paperRate() >= rate - 0.05)
            .mapToDouble(p -> Double.isNaN(p.top1FineTuned()) ? p.top1() : Math.max(p.top1(), p.top1FineTuned()))
            .max().orElse(Double.NaN);
        cells.add(Double.isNaN(acc) ? "-" : String.format("%.2f%%", 100 * acc));
        if (acc > bestAcc) {
          bestAcc = acc;
          best = fam;
        }
      }
      cells.add(best);
      t.row(cells.toArray());
    }
    return "## Which method wins\n\nBest top-1 (with or without fine-tuning) among each family's settings at or above a rate.\n\n"
        + t.toMarkdown();
  }
}
