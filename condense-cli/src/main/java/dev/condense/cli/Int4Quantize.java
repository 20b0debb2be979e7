package dev.condense.cli;

import dev.condense.AtomicFile;
import dev.condense.data.DataSplit;
import dev.condense.data.Dataset;
import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Session;
import dev.condense.graph.Model;
import dev.condense.onnx.OnnxReader;
import dev.condense.onnx.OnnxWriter;
import dev.condense.quant.int4.Int4Format;
import dev.condense.quant.int4.Int4Quantizer;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code condense quantize --weights int4}: block-wise 4-bit weights of the Gemm and MatMul
 * layers, written as MatMulNBits or as DequantizeLinear-21 → MatMul. Evaluates the float model,
 * the engine's simulation (the DequantizeLinear form: the file itself when that is the format
 * written, read back) and the written file in ONNX Runtime, and reports the file sizes.
 */
final class Int4Quantize {
  private Int4Quantize() {}

  static int run(QuantizeCommand c) throws Exception {
    Int4Options opt = c.int4;
    if (!c.calibrate.equals("minmax") || !c.activations.equals("uint8")) {
      throw new Cli.UsageError("--calibrate and --activations apply to --weights int8 only");
    }
    Int4Format format = opt.format();
    var rounding = opt.rounding();
    int block = opt.block();
    var only = opt.layers();
    Output o = new Output(c.spec.commandLine(), c.common);
    dev.condense.api.Inputs in = c.data.load(c.model, c.common, o);
    DataSplit d = in.data();
    if (d.calibrationImages() == 0) {
      d = d.withCalibration(Math.min(Int4Quantizer.SAMPLES, d.train().size()), c.common.seed);
    }
    Dataset calibration = d.calibration(d.train());
    Int4Quantizer quantizer = new Int4Quantizer(block, opt.symmetric, rounding, calibration.size(), Int4Quantizer.BATCH);
    Model m = in.model();
    int threads = CompressionRun.threads(c.common);
    Evaluation floatEval;
    Evaluation simulated;
    Int4Quantizer.Result q;
    byte[] written;
    Model simulation;
    try (Engine engine = c.common.engine()) {
      q = c.runtime.forwardOnly(engine, c.common, "quantize",
          e -> quantizer.quantize(m, only, e, calibration, c.common.progress()));
      AtomicFile.write(c.out, q.bytes(format));
      written = Files.readAllBytes(c.out);
      // the engine reads the standard form; the MatMulNBits file holds the same codes
      simulation = format == Int4Format.QDQ ? OnnxReader.read(written, c.out.toString()) : q.qdq();
      try (Session s = engine.open(m)) {
        floatEval = s.evaluate(d.test(), c.batch, c.common.progress());
      }
      try (Session s = engine.open(simulation)) {
        simulated = s.evaluate(d.test(), c.batch, c.common.progress());
      }
    }
    Evaluation ort = OrtEvaluator.evaluate(written, simulation, d.test(), c.batch, threads, c.common.progress());
    long floatBytes = OnnxWriter.toBytes(m).length;
    String formatName = format == Int4Format.MATMULNBITS ? "MatMulNBits" : "DequantizeLinear-21 -> MatMul";
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", c.model);
    r.put("out", c.out.toString());
    r.put("weights", "int4");
    r.put("format", opt.format);
    r.put("block", block);
    r.put("symmetric", opt.symmetric);
    r.put("rounding", opt.rounding);
    r.put("calibration_samples", q.calibrated());
    r.put("layers", List.copyOf(q.weights().keySet()));
    r.put("layer_output_error", q.outputError());
    r.put("float_top1", floatEval.top1());
    r.put("int4_engine_top1", simulated.top1());
    r.put("int4_ort_top1", ort.top1());
    r.put("ort_agreement", simulated.agreement(ort));
    r.put("float_bytes", floatBytes);
    r.put("int4_bytes", (long) written.length);
    List<String> lines = List.of(
        String.format(Locale.ROOT, "4-bit weights (%s%s) of %d layers%s as %s: %s", opt.label(),
            q.calibrated() > 0 ? ", " + q.calibrated() + " calibration samples of " + d.train().name() : "",
            q.weights().size(), only.isEmpty() ? "" : " (" + String.join(", ", q.weights().keySet()) + ")",
            formatName, c.out),
        String.format(Locale.ROOT, "top-1 on %s: float %.2f%%, 4-bit in the engine %.2f%%, 4-bit in ONNX Runtime %.2f%% "
            + "(ONNX Runtime gives the engine's prediction on %.2f%% of %d samples)", d.test().name(),
            floatEval.top1Percent(), simulated.top1Percent(), ort.top1Percent(), 100 * simulated.agreement(ort),
            ort.samples()),
        "relative output error of each layer on the calibration inputs, ||X(W - W4)|| / ||XW||: "
            + String.join(", ", q.outputError().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue())).toList()),
        String.format(Locale.ROOT, "size: float ONNX %,d bytes, 4-bit ONNX %,d bytes (%.2fx smaller)", floatBytes,
            written.length, (double) floatBytes / written.length));
    lines.forEach(o::line);
    if (c.report != null) {
      StringBuilder md = new StringBuilder("# 4-bit weights of " + c.model + "\n\n");
      lines.forEach(l -> md.append("- ").append(l).append('\n'));
      AtomicFile.write(c.report, md.toString());
    }
    o.result(r);
    return 0;
  }
}
