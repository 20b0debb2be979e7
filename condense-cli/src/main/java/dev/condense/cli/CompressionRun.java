package dev.condense.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.condense.data.DataSplit;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.ParameterChoice;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import dev.condense.pipeline.ActivationDensity;
import dev.condense.pipeline.Pipeline;
import dev.condense.pipeline.Stage;
import dev.condense.pipeline.Step;
import dev.condense.ops.FixedBatch;
import dev.condense.ops.PrunableWeight;
import dev.condense.format.CdzFile;
import dev.condense.api.ModelFiles;
import dev.condense.report.DeepCompressionReport;
import dev.condense.report.FileSizes;
import dev.condense.report.PruningReport;
import dev.condense.report.StructureReport;
import dev.condense.report.TextTable;
import dev.condense.zoo.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code condense prune} and {@code condense compress} share: run the steps, write the
 * model, measure activation densities, check the written file in ONNX Runtime against the
 * engine, and report (stages, Han's per-layer table, sizes) as text, Markdown and JSON.
 */
final class CompressionRun {
  private CompressionRun() {}

  /**
   * Runs {@code steps} and writes {@code out}: a {@code .cdz} file (Deep Compression's storage),
   * or ONNX — with quantized weights as codebook + uint8 indices rebuilt by Gather.
   */
  static int run(Output o, CommonOptions common, DataOptions dataOptions, String modelSpec, String title,
      List<Step> steps, Path out, Path report, boolean verify, CdzFile.Options cdzOptions) throws IOException {
    return run(o, common, dataOptions, modelSpec, title, steps, ParameterChoice.NONE, null, out, report, verify,
        cdzOptions);
  }

  /**
   * As above, with the user's overrides of which tensors train: a recipe's ({@code recipe}) and
   * the command line's ({@code params}, null for a command without them), checked against the model first.
   */
  static int run(Output o, CommonOptions common, DataOptions dataOptions, String modelSpec, String title,
      List<Step> steps, ParameterChoice recipe, ParameterOptions params, Path out, Path report, boolean verify,
      CdzFile.Options cdzOptions) throws IOException {
    return run(o, common, dataOptions, modelSpec, title, steps, recipe, params, out, report, verify, cdzOptions, null);
  }

  /**
   * As above, and with {@code int8Out} (null: none) an INT8 ONNX file of the same final model beside
   * {@code out} ({@link Int8Companion}): the compressed file for size, the INT8 one for speed.
   */
  static int run(Output o, CommonOptions common, DataOptions dataOptions, String modelSpec, String title,
      List<Step> steps, ParameterChoice recipe, ParameterOptions params, Path out, Path report, boolean verify,
      CdzFile.Options cdzOptions, Path int8Out) throws IOException {
    return run(o, common, dataOptions, modelSpec, title, steps, recipe, params, out, report, verify, cdzOptions, int8Out,
        null);
  }

  /**
   * As above, with the steps' forward-only measurements (APoZ, channel sampling, INT8
   * calibration) where {@code runtime} says (null: the engine).
   */
  static int run(Output o, CommonOptions common, DataOptions dataOptions, String modelSpec, String title,
      List<Step> steps, ParameterChoice recipe, ParameterOptions params, Path out, Path report, boolean verify,
      CdzFile.Options cdzOptions, Path int8Out, RuntimeOption runtime) throws IOException {
    OutputPlan plan = OutputPlan.forInput(modelSpec).model("--out", out);
    if (int8Out != null) {
      if (!int8Out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
        throw new Cli.UsageError("--int8-out must name an .onnx file (INT8 is written as ONNX QDQ), got " + int8Out);
      }
      plan.model("--int8-out", int8Out);
    }
    if (report != null) {
      plan.report("--report", report, true);
    }
    plan.check();
    dev.condense.api.Inputs in = dataOptions.load(modelSpec, common, o);
    DataSplit data = in.data();
    Model model = in.model();
    ParameterChoice parameters = params == null ? recipe : recipe.and(params.choice(model));
    long t0 = System.nanoTime();
    Pipeline.Result r;
    Map<String, Double> density;
    Int8Companion int8 = null;
    try (Engine engine = common.engine(); Engine forward = runtime == null ? null : runtime.separate(common, "this command")) {
      o.note(title + " on " + data.train() + ", " + engine.name() + (forward == null ? "" : "; measured in " + forward.name()));
      r = new Pipeline(engine, data, common.seed, common.progress(), o::note)
          .withLatency(new OrtLatencyMeasure(threads(common), common.seed, o::note)).withForward(forward)
          .withLayerTimer(new OrtLayerTimer(threads(common), common.seed), PlanOptions.defaultCache())
          .run(model, steps, parameters);
      density = inputDensities(engine, r.model(), data);
      if (int8Out != null) {
        o.note("writing the INT8 ONNX file of the same model: " + int8Out);
        int8 = Int8Companion.write(r.model(), r.stages().get(r.stages().size() - 1).test(), engine, data, int8Out,
            common.seed, threads(common), common.progress());
      }
    }
    boolean quantized = r.applied(Step.Kind.WEIGHT_SHARING);
    ModelFiles.Written written = ModelFiles.write(r.model(), out, cdzOptions, quantized, verify);
    boolean cdz = written.cdz();
    Stage before = r.stages().get(r.referenceStage());
    Stage after = r.stages().get(r.stages().size() - 1);
    PruningReport rep = r.applied(Step.Kind.MAGNITUDE) ? PruningReport.build(r.reference(), r.model(), density, before.test(), after.test()) : null;
    String vq = vqSection(r.original(), r.model(), steps);
    boolean structured = !r.rounds().isEmpty(); // trim, prune-filters, channel-prune: channels were removed
    StructureReport structure = null;
    if (structured) {
      List<StructureReport.Latency> latency = new ArrayList<>();
      if (!cdz) {
        int declared = FixedBatch.declared(r.reference().graph()); // a fixed-batch export runs only at its batch
        for (int b : declared > 0 ? new int[] {declared} : new int[] {1, 64}) {
          o.note("timing the original and the pruned model in ONNX Runtime at batch " + b);
          OrtLatency.Pair ms = OrtLatency.medianMs(r.reference(), r.model(), b, threads(common), common.seed);
          latency.add(new StructureReport.Latency("ONNX Runtime, " + threads(common) + " threads", b, ms.firstMs(),
              ms.secondMs()));
        }
      }
      structure = StructureReport.build(r.reference(), r.model(), before.test(), after.test(), r.rounds(), latency);
    }
    DeepCompressionReport dc = quantized ? DeepCompressionReport.build(r.reference(), r.model(),
        cdzOptions, before.test(), after.test()) : null;
    FileSizes sizes = cdz ? FileSizes.ofCdz(out.getFileName().toString(), Files.readAllBytes(out),
        written.model().graph().nodes().size(), PrunableWeight.of(r.reference().graph())) : null;
    Double agreement = null;
    String checkedBy = written.checkedBy();
    if (verify) {
      Evaluation check = cdz ? ModelFiles.evaluate(out, data.test(), threads(common))
          : OrtEvaluator.evaluate(written.model(), data.test(), 256, threads(common), Progress.NONE);
      agreement = after.test().agreement(check);
    }
    if (dc != null && report != null) {
      Plots.weights(r.reference(), r.model(), "Weights before and after Deep Compression (" + model.graph().name() + ")",
          OutputPlan.sibling(report, "-weights.png"));
    }
    if (structure != null && report != null) {
      Plots.plan(structure, "Channels kept per layer (" + model.graph().name() + ")", OutputPlan.sibling(report, "-plan.png"));
      Plots.rounds(structure, "Top-1 on the way to the target (" + model.graph().name() + ")",
          OutputPlan.sibling(report, "-rounds.png"));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String stages = stageTable(r.stages());
    String md = "# " + title + "\n\n## Stages\n\n" + stages
        + (rep == null ? "" : "\n## Per layer\n\n" + rep.toMarkdown())
        + (vq == null ? "" : "\n## Vector quantization (Gong et al. 2014)\n\n" + vq)
        + (structure == null ? "" : "\n## Structure (channels, parameters, multiply-adds)\n\n" + structure.toMarkdown())
        + (dc == null ? "" : "\n## Deep Compression (measured bytes of the written encodings)\n\n" + dc.toMarkdown())
        + (sizes == null ? "" : "\n## The written file, part by part\n\n" + sizes.toMarkdown())
        + String.format("%nThe written file (%s, %,d bytes) ", out.getFileName(), java.nio.file.Files.size(out))
        + (agreement == null ? String.format("was not read back (--no-verify).%n")
            : String.format("read back by %s gives the engine's top-1 prediction on %.2f%% of the %d test images.%n",
                checkedBy, 100 * agreement, after.test().samples()))
        + (int8 == null ? "" : int8.markdown())
        + String.format("%nWall time: %.1f s.%n", seconds);
    o.line(md);
    if (report != null) {
      writeAtomically(report, md);
      Path json = OutputPlan.sibling(report, ".json");
      writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(withInt8(document(title, r, rep, dc, structure, sizes, agreement, seconds, out), int8)));
    }
    o.result(withInt8(document(title, r, rep, dc, structure, sizes, agreement, seconds, out), int8));
    return 0;
  }

  private static Map<String, Object> withInt8(Map<String, Object> d, Int8Companion int8) {
    if (int8 != null) {
      d.put("int8", int8.json());
    }
    return d;
  }

  static int threads(CommonOptions common) {
    return common.threadCount();
  }

  /** Non-zero share of each prunable layer's input, on up to 2,000 test samples. */
  static Map<String, Double> inputDensities(Engine engine, Model m, DataSplit data) {
    List<PrunableWeight> layers = PrunableWeight.of(m.graph());
    List<String> values = new ArrayList<>();
    for (PrunableWeight w : layers) {
      values.add(m.graph().node(w.layer()).input(0));
    }
    Map<String, Double> byValue = ActivationDensity.measure(engine, m, data.test().head(2000), values);
    Map<String, Double> byLayer = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      byLayer.put(layers.get(i).layer(), byValue.get(values.get(i)));
    }
    return byLayer;
  }

  /** Per vector-quantized layer: method, Gong's rate, and the real .cdz bytes against dense float32. */
  static String vqSection(Model original, Model coded, List<Step> steps) {
    Step.VectorQuantize step = steps.stream().filter(s -> s instanceof Step.VectorQuantize)
        .map(s -> (Step.VectorQuantize) s).reduce((a, b) -> b).orElse(null);
    if (step == null) {
      return null;
    }
    Map<String, dev.condense.format.EncodedTensor> enc = CdzFile.toBytes(coded, CdzFile.Options.defaults()).tensors();
    TextTable t = new TextTable("layer", "method", "weights", "Gong's rate", "dense bytes", ".cdz bytes (codebooks + codes)", "real rate");
    for (PrunableWeight w : PrunableWeight.of(original.graph())) {
      if (coded.graph().initializer(w.weight() + ".vq0.codes") == null) {
        continue;
      }
      dev.condense.quant.VectorQuantizer q = step.quantizer().get(w.layer()).orElseThrow();
      long bytes = 0;
      for (Map.Entry<String, dev.condense.format.EncodedTensor> e : enc.entrySet()) {
        if (e.getKey().startsWith(w.weight() + ".vq")) {
          bytes += e.getValue().payload().length;
        }
      }
      int rows = w.shape()[0];
      t.row(w.layer(), q.label(), w.size(), String.format("%.1f×", q.paperRate(rows, w.size() / rows)), 4L * w.size(),
          bytes, String.format("%.1f×", 4.0 * w.size() / bytes));
    }
    return t.toMarkdown();
  }

  static String stageTable(List<Stage> stages) {
    TextTable t = new TextTable("step", "detail", "top-1", "weights kept", "parameters", "seconds");
    for (Stage s : stages) {
      t.row(s.step(), s.detail().isEmpty() ? "-" : s.detail(), String.format("%.2f%%", s.test().top1Percent()),
          String.format("%.2f%%", 100 * s.density()), s.params(), String.format("%.1f", s.seconds()));
    }
    return t.toMarkdown();
  }

  private static Map<String, Object> document(String title, Pipeline.Result r, PruningReport rep,
      DeepCompressionReport dc, StructureReport structure, FileSizes sizes, Double agreement, double seconds, Path out)
      throws IOException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("title", title);
    List<Object> st = new ArrayList<>();
    for (Stage s : r.stages()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", s.step());
      m.put("detail", s.detail());
      m.put("top1", s.test().top1Percent());
      m.put("weights_kept", s.density());
      m.put("params", s.params());
      m.put("seconds", s.seconds());
      st.add(m);
    }
    d.put("stages", st);
    if (rep != null) {
      d.put("report", rep.toJson());
    }
    if (dc != null) {
      d.put("deep_compression", dc.toJson());
    }
    if (structure != null) {
      d.put("structure", structure.toJson());
    }
    d.put("out", out.toString());
    d.put("out_bytes", java.nio.file.Files.size(out));
    if (sizes != null) {
      d.put("out_parts", sizes.toJson());
    }
    if (agreement != null) {
      d.put("readback_agreement", agreement);
    }
    d.put("seconds", seconds);
    return d;
  }

  static void writeAtomically(Path file, String text) {
    dev.condense.AtomicFile.write(file, text);
  }

}
