package dev.condense.cli;

import dev.condense.AtomicFile;
import dev.condense.data.DataSplit;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Session;
import dev.condense.graph.DType;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.quant.int8.FusionCheck;
import dev.condense.quant.int8.Int8Quantizer;
import dev.condense.quant.int8.IntegerKernels;
import dev.condense.quant.int8.MixedPrecision;
import dev.condense.quant.int8.Observer;
import dev.condense.quant.int8.QuantSensitivity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code condense quantize}: INT8 post-training quantization to an ONNX QDQ model. Reads the
 * written file back, evaluates the float model, the engine's simulation of the INT8 file and the
 * file in ONNX Runtime on the test split, and reports how many multiply-adds ONNX Runtime runs in
 * integer kernels (from its optimized graph, checked before the file is written); with
 * {@code --sensitivity} the per-layer table, with {@code --max-drop} the layers kept float.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = "INT8 post-training quantization: a QDQ ONNX model that ONNX Runtime runs in integer kernels.")
final class QuantizeCommand implements Callable<Integer> {
  /** Calibration samples the per-layer output errors are measured on. */
  static final int ERROR_SAMPLES = 256;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name or an ONNX file (trained, float).")
  String model;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true,
      description = "Where to write the INT8 model: .onnx (QDQ) or .cdz (the same graph, int8 weights, run on integers by the .cdz runtime).")
  Path out;

  @Option(names = "--calibrate", paramLabel = "M", defaultValue = "minmax",
      description = "How activation ranges are chosen: minmax, percentile=P (e.g. 99.99) or entropy (TensorRT's KL) "
          + "(default: ${DEFAULT-VALUE}).")
  String calibrate;

  @Option(names = "--activations", paramLabel = "T", defaultValue = "uint8",
      description = "Activation type: uint8 (what ONNX Runtime's x86 kernels take) or int8 (default: ${DEFAULT-VALUE}).")
  String activations;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "Evaluation batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--report", paramLabel = "FILE.md", description = "Also write the report as Markdown.")
  Path report;

  @Option(names = "--qat-epochs", paramLabel = "N", defaultValue = "0",
      description = "Epochs of quantization-aware training after calibration: fake-quantized weights and activations at "
          + "the calibrated scales, straight-through gradients (default: ${DEFAULT-VALUE}, none).")
  int qatEpochs;

  @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.001",
      description = "Learning rate of the quantization-aware training (default: ${DEFAULT-VALUE}).")
  double lr;

  @Mixin
  DistillOption distill;

  @Option(names = "--weights", paramLabel = "W", defaultValue = "int8",
      description = "int8 (weights and activations, QDQ) or int4 (block-wise 4-bit weights of Gemm/MatMul, "
          + "activations float) (default: ${DEFAULT-VALUE}).")
  String weights;

  @Mixin
  Int4Options int4;

  @Option(names = "--sensitivity", description = "Per-layer sensitivity: validation top-1 with only that layer "
      + "quantized and the layer's output error, most costly first.")
  boolean sensitivity;

  @Option(names = "--max-drop", paramLabel = "POINTS", description = "Mixed precision: keep the most costly layers "
      + "(by --sensitivity) float until the INT8 model is within POINTS of float top-1 on the validation set.")
  Double maxDrop;

  @Option(names = "--validation", paramLabel = "N", description = "With --sensitivity or --max-drop: training samples "
      + "held out to measure accuracy (default: a tenth, at most 5000).")
  Integer validation;

  /** Where calibration (the forward passes that observe activation ranges, or GPTQ's layer inputs) runs. */
  @Mixin
  RuntimeOption runtime;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data;

  @Override
  public Integer call() throws Exception {
    runtime.check("quantize");
    boolean cdz = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".cdz"); // INT8 .cdz: Int8Cdz
    // the shared checks: writable regular files, never the input, never two outputs on one path
    OutputPlan plan = OutputPlan.forInput(model).model("--out", out);
    if (report != null) {
      plan.file("--report", report);
    }
    plan.check();
    OptionRange.check("--batch", batch, 1, dev.condense.pipeline.Bounds.MAX_BATCH);
    if (!weights.equals("int8")) {
      if (!weights.equals("int4")) {
        throw new Cli.UsageError("--weights must be int8 or int4, got '" + weights + "'");
      }
      if (qatEpochs > 0) {
        throw new Cli.UsageError("--qat-epochs goes with --weights int8 (4-bit weights are rounded, not trained)");
      }
      return Int4Quantize.run(this);
    }
    int4.refuseWithInt8();
    QatRun qat = QatRun.of(qatEpochs, lr, distill.value(), common.seed);
    DType type = switch (activations) {
      case "uint8" -> DType.UINT8;
      case "int8" -> DType.INT8;
      default -> throw new Cli.UsageError("--activations must be uint8 or int8, got '" + activations + "'");
    };
    if (maxDrop != null && !(maxDrop >= 0 && maxDrop <= 100)) {
      throw new Cli.UsageError("--max-drop must be in [0, 100] points, got " + maxDrop);
    }
    if (validation != null && validation < 1) {
      throw new Cli.UsageError("--validation must be ≥ 1, got " + validation);
    }
    if (maxDrop != null && qatEpochs > 0) {
      throw new Cli.UsageError("give --max-drop (some layers stay float) or --qat-epochs (train the all-INT8 model), not both");
    }
    boolean measured = sensitivity || maxDrop != null;
    if (validation != null && !measured) {
      throw new Cli.UsageError("--validation goes with --sensitivity or --max-drop");
    }
    if (measured) {
      data.validation = validation == null ? -1 : validation;
    }
    Observer.Factory method;
    try {
      method = Int8Quantizer.observers(calibrate, "--calibrate");
    } catch (dev.condense.CondenseException e) {
      throw new Cli.UsageError(e.getMessage());
    }
    Output o = new Output(spec.commandLine(), common);
    dev.condense.api.Inputs in = data.load(model, common, o);
    DataSplit d = in.data();
    if (d.calibrationImages() == 0) {
      d = d.withCalibration(Math.min(Int8Quantizer.SAMPLES, d.train().size()), common.seed);
    }
    Dataset calibration = d.calibration(d.train());
    Int8Quantizer quantizer = new Int8Quantizer(method, calibration.size(), type, Int8Quantizer.BATCH);
    Model m = in.model();
    int threads = CompressionRun.threads(common);
    Evaluation floatEval;
    Evaluation simulated;
    Int8Quantizer.Result q;
    byte[] written;
    Model back;
    QuantSensitivity.Table table = null;
    MixedPrecision.Choice choice = null;
    Int8Cdz asCdz = null;
    try (Engine engine = common.engine()) {
      q = runtime.forwardOnly(engine, common, "quantize", e -> quantizer.quantize(m, e, calibration, common.progress()));
      if (measured) {
        Dataset errors = calibration.head(Math.min(ERROR_SAMPLES, calibration.size()));
        table = QuantSensitivity.measure(m, quantizer, q, engine, d.validation(), errors, batch, common.progress());
      }
      if (maxDrop != null) {
        choice = MixedPrecision.choose(m, quantizer, q, table, maxDrop / 100, engine, d.validation(), batch,
            common.progress());
        q = choice.result();
      }
      q = qat.train(q, m, engine, d.train(), common.progress(), o);
      byte[] bytes = OnnxWriter.toBytes(q.model());
      // never a silently slower model: what ONNX Runtime would leave in float unasked is an error
      FusionCheck.require(q, q.model().graph().inputs().stream().map(v -> v.name()).toList(),
          OrtOptimizedGraph.of(bytes, threads), out.toString());
      if (cdz) {
        asCdz = Int8Cdz.write(q.model(), out, d.test(), batch, threads, common.progress());
        back = asCdz.model();
        written = OnnxWriter.toBytes(back); // ONNX Runtime runs the graph the .cdz holds
      } else {
        AtomicFile.write(out, bytes);
        written = Files.readAllBytes(out);
        back = OnnxReader.read(written, out.toString()); // the file as written is what both runtimes run
      }
      try (Session s = engine.open(m)) {
        floatEval = s.evaluate(d.test(), batch, common.progress());
      }
      try (Session s = engine.open(back)) {
        simulated = s.evaluate(d.test(), batch, common.progress());
      }
    }
    Evaluation ort = OrtEvaluator.evaluate(back, d.test(), batch, threads, common.progress());
    IntegerKernels kernels = IntegerKernels.of(q, back.graph().inputs().stream().map(v -> v.name()).toList(),
        OrtOptimizedGraph.of(written, threads));
    long floatBytes = OnnxWriter.toBytes(m).length;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", model);
    r.put("out", out.toString());
    r.put("calibration", method.label());
    r.put("calibration_samples", q.calibrated());
    r.put("activations", activations);
    r.put("layers", q.layerMacs().size());
    r.put("qat_epochs", qatEpochs);
    r.put("float_top1", floatEval.top1());
    r.put("int8_engine_top1", simulated.top1());
    r.put("int8_ort_top1", ort.top1());
    r.put("ort_agreement", simulated.agreement(ort));
    r.put("integer_mac_share", kernels.share());
    r.put("macs", kernels.totalMacs());
    r.put("float_nodes", kernels.floatNodes());
    Map<String, List<Float>> ranges = new LinkedHashMap<>();
    q.ranges().forEach((v, range) -> ranges.put(v, List.of(range.min(), range.max())));
    r.put("ranges", ranges);
    if (table != null) {
      r.put("validation_samples", table.samples());
      r.put("float_validation_top1", table.floatTop1());
      r.put("int8_validation_top1", table.int8Top1());
      r.put("sensitivity", table.rows().stream().map(row -> {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("layer", row.layer());
        j.put("op", row.opType());
        j.put("macs", row.macs());
        j.put("top1", row.top1());
        j.put("drop", row.drop());
        j.put("output_error", row.outputError());
        return j;
      }).toList());
    }
    if (choice != null) {
      r.put("max_drop", maxDrop);
      r.put("mixed_validation_top1", choice.top1());
      r.put("float_layers", choice.kept().stream().map(MixedPrecision.Kept::layer).toList());
    }
    r.put("float_bytes", floatBytes);
    r.put("int8_bytes", (long) written.length);
    List<String> lines = new java.util.ArrayList<>(List.of(
        String.format(Locale.ROOT, "INT8 (%s, %d calibration samples of %s, %s activations): %d layers, %s", method.label(),
            q.calibrated(), d.train().name(), activations, q.layerMacs().size(), out),
        String.format(Locale.ROOT, "top-1 on %s: float %.2f%%, INT8 in the engine %.2f%%, INT8 in ONNX Runtime %.2f%% "
            + "(ONNX Runtime gives the engine's prediction on %.2f%% of %d samples)", d.test().name(),
            floatEval.top1Percent(), simulated.top1Percent(), ort.top1Percent(), 100 * simulated.agreement(ort),
            ort.samples()),
        kernels.line(),
        String.format(Locale.ROOT, "size: float ONNX %,d bytes, INT8 ONNX %,d bytes (%.2fx smaller)", floatBytes,
            written.length, (double) floatBytes / written.length)));
    if (table != null) {
      lines.addAll(table.lines());
    }
    if (choice != null) {
      MixedPrecision.Choice c = choice;
      lines.add(String.format(Locale.ROOT, "mixed precision (max drop %.2f points on the validation set): %d layer(s) "
          + "float, validation top-1 %.2f%% (float %.2f%%)", maxDrop, c.kept().size(), 100 * c.top1(),
          100 * c.floatTop1()));
      c.kept().forEach(k -> lines.add("  " + k.line(c.floatTop1())));
    }
    if (asCdz != null) {
      lines.add(asCdz.line(ort, q.layerMacs().size(), written.length));
      asCdz.put(r, ort);
    }
    lines.forEach(o::line);
    if (report != null) {
      StringBuilder md = new StringBuilder("# INT8 post-training quantization of " + model + "\n\n");
      lines.forEach(l -> md.append("- ").append(l).append('\n'));
      AtomicFile.write(report, md.toString());
    }
    o.result(r);
    return 0;
  }
}
